"""How the web site's accounts appear in models: as users `SITE_USER_OFFSET + account id`.

Above every user id of every MovieLens release, so an account can never be mistaken for a
dataset user, and the same account is the same user in every model retrained from the site.
Plain integers only: the web site reads this without loading the data layer.
"""

SITE_USER_OFFSET = 10_000_000
"""Added to an account id to form its user id."""


def site_user_id(account_id: int) -> int:
    """The user id of the account `account_id` in a retrained model."""
    return SITE_USER_OFFSET + int(account_id)


def is_site_user(user_id: int) -> bool:
    """Whether `user_id` names a site account rather than a user of the dataset."""
    return int(user_id) >= SITE_USER_OFFSET
