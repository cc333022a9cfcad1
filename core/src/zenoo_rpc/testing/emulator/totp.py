"""Time-based one-time passwords (RFC 6238) as Odoo's ``auth_totp`` uses them.

HMAC-SHA1, 6 digits, 30-second steps, and a code from the step before or
after the current one accepted too (Odoo's window). Secrets are base32 text,
as Odoo stores ``res.users.totp_secret``. Tests use :func:`totp_code` to type
the code a phone app would show::

    secret = emulator.database().enable_totp("admin")
    await client.login("demo", "admin", "admin", totp=lambda: totp_code(secret))
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time

__all__ = ["DIGITS", "TIMESTEP", "hotp", "new_secret", "totp_code", "verify_code"]

TIMESTEP = 30
DIGITS = 6


def new_secret() -> str:
    """A fresh base32 secret of 160 bits (what Odoo's TOTP wizard generates)."""
    return base64.b32encode(secrets.token_bytes(20)).decode()


def _key(secret: str) -> bytes:
    text = "".join(secret.split()).upper()
    return base64.b32decode(text + "=" * (-len(text) % 8))


def hotp(key: bytes, counter: int, digits: int = DIGITS) -> str:
    """RFC 4226: the code of ``counter`` for ``key``."""
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def totp_code(secret: str, at: float | None = None, *, digits: int = DIGITS) -> str:
    """The code for base32 ``secret`` at time ``at`` (default: now)."""
    moment = time.time() if at is None else at
    return hotp(_key(secret), int(moment // TIMESTEP), digits)


def verify_code(secret: str, code: str, at: float | None = None, *, window: int = 1) -> bool:
    """Whether ``code`` is the code of ``secret`` within ``window`` steps of ``at``."""
    if not code.isdigit() or len(code) != DIGITS:
        return False
    key = _key(secret)
    step = int((time.time() if at is None else at) // TIMESTEP)
    return any(
        hmac.compare_digest(hotp(key, counter), code)
        for counter in range(step - window, step + window + 1)
    )
