from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from movierec.data.codes import AGE_BUCKETS, GENDER_LABELS, OCCUPATIONS
from movierec_site.accounts.demographic_labels import shown_choices

AGE_GROUP_CHOICES = shown_choices(AGE_BUCKETS)
GENDER_CHOICES = shown_choices(GENDER_LABELS)
OCCUPATION_CHOICES = shown_choices(OCCUPATIONS)


class User(AbstractUser):
    """A person with an account. Its own model from the start, so fields can be added later
    without the painful mid-project switch away from `auth.User`."""

    age_group = models.PositiveSmallIntegerField(
        _("age group"), choices=AGE_GROUP_CHOICES, null=True, blank=True
    )
    """An ML-1M age code (1, 18, 25, 35, 45, 50, 56); None when not given."""
    gender = models.CharField(_("gender"), max_length=1, choices=GENDER_CHOICES, blank=True)
    """F or M; empty when not given."""
    occupation = models.PositiveSmallIntegerField(
        _("occupation"), choices=OCCUPATION_CHOICES, null=True, blank=True
    )
    """An ML-1M occupation code, 0..20; None when not given."""
    language = models.CharField("language", max_length=10, blank=True, default="")
    """The site's language the person chose (a code of settings.LANGUAGES); empty: the
    browser's."""


class LoginAttemptCounter(models.Model):
    """Login attempts counted under one throttle key (a user name, or a client address) in the
    window that ends at `window_ends`. In the database, not the cache: Django's file cache does
    not increment atomically, and every worker must see every attempt."""

    key = models.CharField(max_length=80, primary_key=True)
    """A kind ("user" or "address") and a sha256 of what is counted; never the name itself."""
    count = models.PositiveIntegerField(default=0)
    """Attempts in the current window, each counted before its password is checked."""
    window_ends = models.DateTimeField(db_index=True)
    """When this counter expires; the next attempt after it starts a new window."""
