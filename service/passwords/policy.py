"""The one check every new password passes before it is hashed: names, strength, breaches."""

from __future__ import annotations

from dataclasses import dataclass

from service.core.admission import AdmissionGate
from service.passwords import strength
from service.passwords.breaches import BreachChecker, BreachCheckFailed
from service.passwords.errors import (
    BreachCheckUnavailable,
    BreachedPassword,
    PasswordContainsIdentity,
    WeakPassword,
)

DEFAULT_HINT = "Use a longer passphrase of several unrelated words."


@dataclass(frozen=True)
class PasswordPolicy:
    """The strength floor, the gate the estimate runs under, and the breach check (None:
    off). `fail_open` accepts a password when the breach corpus cannot be asked."""

    min_score: int
    gate: AdmissionGate | None
    breaches: BreachChecker | None
    fail_open: bool

    async def check(
        self, password: str, *, username: str | None, email: str | None, field: str
    ) -> None:
        """Refuse `password` (the body member `field`) for the user with these names.

        Cheapest first: the names, the strength estimate (in a worker thread, under the
        hashing gate), then the breach corpus over the network. Raises `PasswordRefused`
        subclasses (422) or `BreachCheckUnavailable` (503, when failing closed).
        """
        if strength.contains_identity(password, strength.identity_parts(username, email)):
            raise PasswordContainsIdentity(
                "The password contains your username or the name part of your email.",
                field,
                "Choose a password that does not contain your username or email address.",
            )
        score, hint = await self._score(password)
        if score < self.min_score:
            raise WeakPassword(
                f"The password is too easy to guess (strength {score} of 4, at least "
                f"{self.min_score} needed).",
                field,
                hint or DEFAULT_HINT,
            )
        await self._check_breaches(password, field)

    async def _score(self, password: str) -> tuple[int, str | None]:
        if self.gate is None:
            return strength.score(password)
        return await self.gate.run_sync(strength.score, password)

    async def _check_breaches(self, password: str, field: str) -> None:
        if self.breaches is None:
            return
        try:
            count = await self.breaches.breach_count(password)
        except BreachCheckFailed:
            if self.fail_open:
                return
            raise BreachCheckUnavailable from None
        if count >= self.breaches.min_count:
            raise BreachedPassword(
                "This password has appeared in a known data breach, so attackers try it "
                "first; it cannot be used here.",
                field,
                "Choose a password you have never used on another site, e.g. from a "
                "password manager.",
            )
