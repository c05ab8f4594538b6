"""The sign-in cookie: a session token signed with the server's secret, so that a cookie
the server did not issue is refused before any database lookup.

The token itself is random and stored only as a hash (data.accounts); signing adds that
a tampered or forged cookie never reaches the database. Several app servers share the
secret through SECRET_KEY; without it, the embedded setup keeps one in var/secret_key.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from functools import lru_cache
from pathlib import Path

from data.settings import PROJECT_ROOT, get_settings

COOKIE_NAME = "cc_session"
SECRET_FILE = PROJECT_ROOT / "var" / "secret_key"


@lru_cache(maxsize=1)
def secret_key() -> bytes:
    """SECRET_KEY, or the embedded setup's own secret (made once, readable by its owner only)."""
    configured = get_settings().secret_key
    if configured:
        return configured.encode()
    path = Path(os.environ.get("SECRET_KEY_FILE", SECRET_FILE))
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole under a temporary name, then linked in: of several processes starting
        # at once, one makes the secret and the others read that one (never a half-written
        # or second secret).
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return path.read_text().strip().encode()


def _signature(token: str) -> str:
    return hmac.new(secret_key(), token.encode(), hashlib.sha256).hexdigest()


def sign(token: str) -> str:
    """The cookie value for a session token."""
    return f"{token}.{_signature(token)}"


def unsign(value: str | None) -> str | None:
    """The session token in a cookie value, or None when it is not one this server signed."""
    if not value or "." not in value:
        return None
    token, _, signature = value.rpartition(".")
    return token if hmac.compare_digest(signature, _signature(token)) else None
