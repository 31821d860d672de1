from django.contrib.auth.models import AbstractUser
from django.db import models

from movierec.data.codes import AGE_BUCKETS, GENDER_LABELS, OCCUPATIONS


def _worded(labels: dict) -> list[tuple]:
    """(code, label) choices from one of the dataset's code tables, the label capitalised."""
    return [(code, label[:1].upper() + label[1:]) for code, label in labels.items()]


AGE_GROUP_CHOICES = _worded(AGE_BUCKETS)
GENDER_CHOICES = _worded(GENDER_LABELS)
OCCUPATION_CHOICES = _worded(OCCUPATIONS)


class User(AbstractUser):
    """A person with an account. Its own model from the start, so fields can be added later
    without the painful mid-project switch away from `auth.User`."""

    age_group = models.PositiveSmallIntegerField(
        "age group", choices=AGE_GROUP_CHOICES, null=True, blank=True
    )
    """An ML-1M age code (1, 18, 25, 35, 45, 50, 56); None when not given."""
    gender = models.CharField("gender", max_length=1, choices=GENDER_CHOICES, blank=True)
    """F or M; empty when not given."""
    occupation = models.PositiveSmallIntegerField(
        "occupation", choices=OCCUPATION_CHOICES, null=True, blank=True
    )
    """An ML-1M occupation code, 0..20; None when not given."""
