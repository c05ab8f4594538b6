"""Secrets, apart from the database: password hashes, session tokens, and the throttle's
schedule. Both the write side (data.writes.users) and the sign-in reads (data.accounts)
use these; neither imports the other for them.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from datetime import datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import Argon2Error, InvalidHashError

MIN_PASSWORD_LENGTH = 10
# Far above any real password; keeps hashing a pasted megabyte from tying up a server.
MAX_PASSWORD_LENGTH = 200

# Failed sign-ins: the first FREE_FAILURES in a row cost nothing; each one after the limit
# makes the account (or the client) wait FIRST_WAIT, doubling per further failure, at most
# MAX_WAIT. Failures belong to one run while each follows the previous one (or the end of
# its wait) within WINDOW; after a quiet WINDOW they are forgotten.
FREE_FAILURES = 5
FIRST_WAIT = timedelta(seconds=30)
MAX_WAIT = timedelta(minutes=15)
WINDOW = timedelta(minutes=15)

# How often a session's (or a screen token's) "last seen" is written: not on every page run.
TOUCH_EVERY = timedelta(minutes=5)

_HASHER = PasswordHasher()  # argon2id with argon2-cffi's defaults (RFC 9106, low memory)


def hash_password(password: str) -> str:
    """The argon2id hash of a password (salted: never the same twice)."""
    return _HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether `password` matches the stored hash (False for a malformed hash, too)."""
    try:
        return _HASHER.verify(stored_hash, password)
    except (Argon2Error, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """A hash no password matches, verified for unknown users so that timing tells nothing."""
    return hash_password(secrets.token_urlsafe(32))


def new_token() -> str:
    """A random token for a session or a wall screen (256 bits)."""
    return secrets.token_urlsafe(32)


# Letters and digits that cannot be mistaken for one another when read off a screen or paper
# (no 0/O/o, 1/l/I/i, 5/S/s, 2/Z/z, 8/B, 9/g/q, U/V, m/rn): for passwords a person types.
READABLE_ALPHABET = "34679ACDEFGHJKLMNPQRTWXYacdefhjknprtwxy"


def readable_password(length: int = 14) -> str:
    """A random password a person can read and type without misreading (about 74 bits)."""
    return "".join(secrets.choice(READABLE_ALPHABET) for _ in range(length))


def token_hash(token: str) -> str:
    """What the database keeps of a token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def throttle_wait(failures: int) -> timedelta:
    """How long an account or client waits after this many failures in a row."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    doublings = failures - FREE_FAILURES
    if doublings >= 16:  # long past the cap
        return MAX_WAIT
    return min(FIRST_WAIT * 2**doublings, MAX_WAIT)


def seconds_until(moment: datetime, now: datetime) -> int:
    """Whole seconds from `now` to `moment`, rounded up (0 if it has passed)."""
    return max(0, math.ceil((moment - now).total_seconds()))
