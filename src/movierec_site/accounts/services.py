"""Changing an account: its optional age group, gender and occupation; deleting it."""

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from movierec_site.accounts.models import User


def account_demographics_set(
    *, user: User, age_group: int | None, gender: str, occupation: int | None
) -> None:
    """Store the account's age group, gender and occupation; None (or "" for gender) clears one.
    The values are codes a form has checked against the model's choices."""
    user.age_group, user.gender, user.occupation = age_group, gender, occupation
    user.save(update_fields=["age_group", "gender", "occupation"])


def account_delete(*, user: User) -> None:
    """Delete the account with all it holds: its ratings, hidden movies and watchlist (each
    tied to it by a cascading foreign key) and its sessions on every device, whose data may
    hold an import waiting for confirmation. The caller signs the current request out."""
    with transaction.atomic():
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
            if session.get_decoded().get("_auth_user_id") == str(user.pk):
                session.delete()
        user.delete()
