"""RFC 6238 time-based one-time passwords (pyotp): secrets, the otpauth URI, its QR code,
and which time step a code belongs to."""

from __future__ import annotations

import hmac
import re
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyotp

PERIOD_S = 30
DIGITS = 6
# Codes of the step before and after now are accepted too: clocks of phones drift and a
# person takes a few seconds to type. Each accepted step is usable once (`last_step`).
ACCEPTED_STEPS = (-1, 0, 1)
TOTP_CODE = re.compile(r"^[0-9]{6}$")


def new_secret() -> str:
    """A fresh base32 secret of 160 bits (RFC 4226's recommended length)."""
    import pyotp  # imported on first use: only second factors need it

    return pyotp.random_base32(length=32)


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    """The `otpauth://totp/...` URI an authenticator app imports."""
    return _totp(secret).provisioning_uri(name=account, issuer_name=issuer)


def qr_svg_data_uri(uri: str) -> str:
    """The URI as a QR code: an SVG `data:` URI an `<img src>` shows, rendered here so the
    secret never goes to a third-party QR service."""
    import segno  # ~5 MiB per worker, for enrolments only: imported on the first one

    return str(segno.make(uri, error="m").svg_data_uri(scale=4, border=2))


def step_at(moment: datetime) -> int:
    """The RFC 6238 time step (counter) of `moment`."""
    return int(moment.timestamp()) // PERIOD_S


def matching_step(secret: str, code: str, moment: datetime) -> int | None:
    """The accepted time step whose code `code` is, or None.

    Every candidate is compared in constant time and all of them are computed, so the
    answer's timing does not tell which step (if any) matched.
    """
    if not TOTP_CODE.fullmatch(code):
        return None
    totp = _totp(secret)
    now = step_at(moment)
    found: int | None = None
    for offset in ACCEPTED_STEPS:
        if hmac.compare_digest(totp.generate_otp(now + offset), code) and found is None:
            found = now + offset
    return found


def _totp(secret: str) -> pyotp.TOTP:
    import pyotp

    return pyotp.TOTP(secret, digits=DIGITS, interval=PERIOD_S)
