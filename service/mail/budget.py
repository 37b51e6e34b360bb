"""The budget of mails a stranger can cause, shared by every worker through MongoDB.

Registration, verification requests, password resets and email changes each mail an
address the requester typed. Without a shared budget, every route that mails is a way
to flood somebody else's inbox from one client. Every such mail therefore draws from two
counters, each over a fixed window: one per recipient (so nobody's inbox receives more
than `per_recipient` of them, however many clients ask) and one per client address (so
one client cannot spread a flood over many recipients).

Over budget, the mail is withheld and the request answers exactly as it would have: a
429 would tell a stranger that the address has an account (mails to unknown addresses
are never sent, so never counted). Withheld mails are logged and counted by kind.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

import structlog
from beanie import Document, Indexed
from pymongo import ASCENDING, IndexModel

from service.core.clock import utc_now
from service.core.windows import upsert_window

log = structlog.get_logger(__name__)


class MailBudgetCounter(Document):
    """Mails drawn from one budget (a recipient's or a client's) in the current window."""

    key: Annotated[str, Indexed(unique=True)]
    sent: int = 0
    expires_at: datetime

    class Settings:
        name = "mail_budget"
        use_state_management = False
        indexes = [  # noqa: RUF012 - Beanie reads this as a class attribute
            IndexModel([("expires_at", ASCENDING)], name="expires_at_ttl", expireAfterSeconds=0),
        ]


@dataclass(frozen=True)
class MailBudget:
    """How many mails one recipient and one client may cause per window."""

    per_recipient: int
    per_client: int
    window_s: int


def recipient_key(address: str) -> str:
    """The budget key of a mailbox: lower-case, without a `+tag` (`ada+1@x` is `ada@x`'s
    inbox), hashed so no address is stored."""
    local, _, domain = address.strip().lower().rpartition("@")
    mailbox = f"{local.split('+', 1)[0]}@{domain}"
    return hashlib.sha256(f"recipient\x00{mailbox}".encode()).hexdigest()


def client_key(client_ip: str) -> str:
    """The budget key of one client address."""
    return hashlib.sha256(f"client\x00{client_ip}".encode()).hexdigest()


async def _draw(key: str, limit: int, window_s: int) -> bool:
    """Count one mail against `key`; True while the window's count is within `limit`."""
    counter = await upsert_window(
        MailBudgetCounter, key, {"$inc": {"sent": 1}}, window_s, utc_now()
    )
    return counter.sent <= limit


# The budgets a mail draws from: the metric's `budget` label.
BUDGETS = ("client", "recipient")


async def spent_budget(
    budget: MailBudget, *, kind: str, recipient: str, client_ip: str
) -> str | None:
    """Draw one mail of `kind` to `recipient`, caused by `client_ip`, from both budgets.

    None: send it. Otherwise the name of the budget that is spent: withhold it (logged).
    One atomic increment per counter, so N parallel requests send at most the budget. The
    client's budget is drawn first: a client over its own does not use up the recipient's.
    """
    keys = {"client": client_key(client_ip), "recipient": recipient_key(recipient)}
    limits = {"client": budget.per_client, "recipient": budget.per_recipient}
    for name in BUDGETS:
        if not await _draw(keys[name], limits[name], budget.window_s):
            log.warning("mail.withheld", kind=kind, budget=name, client_ip=client_ip)
            return name
    return None
