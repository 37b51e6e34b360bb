"""Login throttling in MongoDB, so the limits hold across workers and replicas.

Two counters guard every password check (OWASP's advice against lockouts a stranger can
trigger): one per (account, client address) pair with a small limit, so guessing one
account from one address stops quickly while its owner, elsewhere, still logs in; and one
per client address across all accounts with a larger limit, against one address spraying
many accounts.

Only a client's own failure counts: a wrong password, an unknown or inactive account. A
server that could not answer (no hashing slot, the request's deadline, the database) must
never count against the caller. So an attempt first *reserves* a place, in one atomic
update that appends it to the counter's in-flight list; the recorded failures plus the
live reservations decide the limit, so N parallel guesses get at most `limit` password
checks however they interleave. The outcome then settles the reservation: a client
failure turns it into a failure (one atomic update), a success clears the pair, anything
else (a 503 of any kind, a cancelled request) releases it. A reservation whose release
never arrived — the database was the fault, or the process died — expires after a lease
no longer than any request may live, and stops counting on its own.
"""

from __future__ import annotations

import hashlib
import unicodedata
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from service.auth.errors import LoginThrottled
from service.auth.models import LoginFailures
from service.core.clock import utc_now
from service.core.windows import upsert_window


def normalise_login(login: str) -> str:
    """The form a login name is looked up and counted in: NFKC, trimmed, lower-case."""
    return unicodedata.normalize("NFKC", login).strip().lower()


def account_key(account: str, client_ip: str) -> str:
    """Key of one (account, client address) pair; hashed so no raw input is stored."""
    return hashlib.sha256(f"account\x00{account}\x00{client_ip}".encode()).hexdigest()


def address_key(client_ip: str) -> str:
    """Key of one client address across every account."""
    return hashlib.sha256(f"address\x00{client_ip}".encode()).hexdigest()


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(1, int((moment - now).total_seconds()) + 1)


@dataclass(frozen=True)
class Reservation:
    """One attempt's place in a counter, until its outcome settles it."""

    key: str
    entry: str  # "<lease end, epoch ms>:<random id>": unique, and says when it stops counting


def _lease_end_ms(entry: str) -> int:
    return int(entry.split(":", 1)[0])


async def reserve(key: str, limit: int, window_s: int, lease_s: float) -> Reservation:
    """Reserve one attempt; raise `LoginThrottled` if failures plus live reservations of
    the window (this one included) exceed `limit`."""
    now = utc_now()
    now_ms = int(now.timestamp() * 1000)
    entry = f"{now_ms + int(lease_s * 1000)}:{uuid.uuid4().hex}"
    record = await upsert_window(
        LoginFailures, key, {"$push": {"inflight": entry}}, window_s, now, failures=0
    )
    inflight = record.inflight
    expired = [e for e in inflight if _lease_end_ms(e) <= now_ms]
    if expired:  # leases of attempts that never settled: they no longer count
        await LoginFailures.get_pymongo_collection().update_one(
            {"key": key}, {"$pullAll": {"inflight": expired}}
        )
    reservation = Reservation(key, entry)
    if record.failures + len(inflight) - len(expired) > limit:
        await release(reservation)
        raise LoginThrottled(_seconds_until(record.expires_at, now))
    return reservation


async def fail(reservation: Reservation) -> None:
    """The attempt was the client's failure: its reservation becomes a counted failure."""
    await LoginFailures.get_pymongo_collection().update_one(
        {"key": reservation.key},
        {"$pullAll": {"inflight": [reservation.entry]}, "$inc": {"failures": 1}},
    )


async def _settle(reservation: Reservation, update: Mapping[str, object]) -> None:
    collection = LoginFailures.get_pymongo_collection()
    await collection.update_one({"key": reservation.key}, update)
    # A counter with nothing left in it goes; one still holding a reservation stays, so a
    # later `fail` of that reservation always finds it.
    await collection.delete_one(
        {"key": reservation.key, "failures": {"$lte": 0}, "inflight": {"$size": 0}}
    )


async def release(reservation: Reservation) -> None:
    """The attempt did not count (a success, or the server failed it): give it back."""
    await _settle(reservation, {"$pullAll": {"inflight": [reservation.entry]}})


async def forgive(reservation: Reservation) -> None:
    """After a successful login: the pair's failures start afresh; attempts still in
    flight keep their places."""
    await _settle(
        reservation, {"$pullAll": {"inflight": [reservation.entry]}, "$set": {"failures": 0}}
    )


def mail_key(email: str, client_ip: str) -> str:
    """Key of account mails (verification, reset) asked for one address from one client."""
    return hashlib.sha256(f"mail\x00{email}\x00{client_ip}".encode()).hexdigest()


async def seconds_over_limit(key: str, limit: int, window_s: int) -> int | None:
    """Count one request; None while within `limit`, else the seconds until the window ends."""
    now = utc_now()
    record = await upsert_window(LoginFailures, key, {"$inc": {"failures": 1}}, window_s, now)
    if record.failures > limit:
        return _seconds_until(record.expires_at, now)
    return None
