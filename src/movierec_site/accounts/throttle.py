"""Login throttling: after too many failures for one client address and user name, refuse more
attempts for a while. Kept in the cache, so it costs no database writes and expires by itself."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(*, address: str, username: str) -> str:
    # Hashed: user names can hold characters a cache backend refuses in keys.
    digest = hashlib.sha256(f"{address}\0{username.strip().casefold()}".encode()).hexdigest()
    return f"login-failures:{digest}"


def login_blocked(*, address: str, username: str) -> bool:
    """Whether this address has failed to log in as this user too often lately."""
    failures = cache.get(_key(address=address, username=username), 0)
    return failures >= settings.LOGIN_FAILURE_LIMIT


def login_failure_record(*, address: str, username: str) -> int:
    """Count one failed attempt; returns the failures in the current window."""
    key = _key(address=address, username=username)
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    # add() starts the window for the first failure; later ones only count within it.
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window)
        return 1


def login_failures_clear(*, address: str, username: str) -> None:
    cache.delete(_key(address=address, username=username))
