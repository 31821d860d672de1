"""Login throttling, shared by the site's login form and the admin's. Each attempt is counted
before its password is checked, under two keys: the client address with the user name, and the
client address alone (across every name). Past either limit, the attempt is refused unchecked until
the window ends; a successful login clears its name's count and takes itself off its address's.
Sign-ups are counted per client address the same way, in a longer window.
The address is REMOTE_ADDR: no proxy is trusted to report another."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from movierec_site.accounts.models import LoginAttemptCounter

# Lazy: each is shown in the language of the request that is refused.
TOO_MANY_FOR_USER = _(
    "Too many failed attempts to log in as this user from your address. "
    "Wait a few minutes, then try again."
)
TOO_MANY_FROM_ADDRESS = _(
    "Too many failed attempts to log in from your address. Wait a few minutes, then try again."
)
TOO_MANY_SIGNUPS = _(
    "Too many accounts were made from your address. Wait a while, then try again."
)


def _user_key(*, address: str, username: str) -> str:
    # The name as authentication reads it (NFKC, as the login form's field normalises it), then
    # casefolded: every spelling of one account shares one count. Hashed: no name is stored.
    name = AbstractBaseUser.normalize_username(username.strip()).casefold()
    digest = hashlib.sha256(f"{address}\0{name}".encode()).hexdigest()
    return f"user:{digest}"


def _address_key(address: str) -> str:
    return f"address:{hashlib.sha256(address.encode()).hexdigest()}"


def _signup_key(address: str) -> str:
    return f"signup:{hashlib.sha256(address.encode()).hexdigest()}"


def _attempt_count(key: str, window_seconds: float | None = None) -> int:
    """Count one attempt under `key`; returns the attempts in its window, this one included.

    Every statement writes before the row is read back, so the row (on SQLite the database) stays
    locked until commit: two workers counting at once each get their own number. The window is
    the login one unless `window_seconds` says otherwise."""
    now = timezone.now()
    counters = LoginAttemptCounter.objects
    with transaction.atomic():
        counters.filter(window_ends__lte=now).delete()
        window = window_seconds or settings.LOGIN_FAILURE_WINDOW_SECONDS
        window_ends = now + timedelta(seconds=window)
        counters.bulk_create(
            [LoginAttemptCounter(key=key, count=0, window_ends=window_ends)],
            ignore_conflicts=True,
        )
        counters.filter(key=key).update(count=F("count") + 1)
        return counters.values_list("count", flat=True).get(key=key)


def login_attempt_start(*, address: str, username: str) -> str | None:
    """Count a login attempt before its password is checked. Returns why it is refused, or None
    when the password may be checked."""
    # The address first: once it is refused, a flood of made-up names adds no rows.
    if _attempt_count(_address_key(address)) > settings.LOGIN_ADDRESS_FAILURE_LIMIT:
        return str(TOO_MANY_FROM_ADDRESS)
    if _attempt_count(_user_key(address=address, username=username)) > settings.LOGIN_FAILURE_LIMIT:
        return str(TOO_MANY_FOR_USER)
    return None


def login_attempt_succeeded(*, address: str, username: str) -> None:
    """The attempt logged in: forget the failures for its name from its address, and leave only
    failures counted against its address, so many people behind one address can all log in."""
    counters = LoginAttemptCounter.objects
    with transaction.atomic():
        counters.filter(key=_user_key(address=address, username=username)).delete()
        counters.filter(key=_address_key(address), count__gt=0).update(count=F("count") - 1)


def signup_attempt_start(*, address: str) -> str | None:
    """Count a sign-up from `address` about to make an account. Returns why it is refused, or
    None when the account may be made."""
    count = _attempt_count(_signup_key(address), settings.SIGNUP_WINDOW_SECONDS)
    return str(TOO_MANY_SIGNUPS) if count > settings.SIGNUP_LIMIT else None
