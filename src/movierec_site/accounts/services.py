"""Changing an account: its optional age group, gender and occupation."""

from movierec_site.accounts.models import User


def account_demographics_set(
    *, user: User, age_group: int | None, gender: str, occupation: int | None
) -> None:
    """Store the account's age group, gender and occupation; None (or "" for gender) clears one.
    The values are codes a form has checked against the model's choices."""
    user.age_group, user.gender, user.occupation = age_group, gender, occupation
    user.save(update_fields=["age_group", "gender", "occupation"])
