"""Account mails rendered from Jinja2 templates: a plain-text part and an HTML part."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import Environment

from service.core.templating import template_environment

TEMPLATE_DIR = Path(__file__).parent / "templates"
# Mail kinds: the template names, the `kind` of log events and the metrics label.
MAIL_KINDS = ("verify_email", "reset_password", "password_changed", "invitation")


@functools.cache
def _environment() -> Environment:
    # Escaped in the HTML part only: a name like `<b>Ada</b>` reads as written in the
    # text part and never becomes markup in the HTML part.
    return template_environment(TEMPLATE_DIR, escape_strings=False, keep_trailing_newline=True)


@dataclass(frozen=True)
class Mail:
    """One message to one recipient: its kind, subject, and text and HTML parts.

    The parts may carry a link with a live token: log lines name the kind and recipient
    only (the development-only `LogSender` is the one exception)."""

    kind: str
    to: str
    subject: str
    text: str
    html: str


SUBJECTS = {
    "verify_email": "Confirm your email address",
    "reset_password": "Reset your password",
    "password_changed": "Your password was changed",
    "invitation": "Choose a password for your new account",
}


# What a mail client may turn into a link: a scheme, `www.`, an address, a dotted domain.
_LINK_LIKE = re.compile(r"(?i)://|www\.|@|[a-z0-9-]\.[a-z]{2,}")
NAME_KEPT = 100  # characters of a name shown in a mail


# Bidirectional embeddings, overrides and isolates: they make text read differently.
_BIDI_CONTROLS = frozenset(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))


def _shown(c: str) -> bool:
    return unicodedata.category(c) not in ("Cc", "Zl", "Zp") and c not in _BIDI_CONTROLS


def one_line(text: str) -> str:
    """`text` on one line: control, line-separator and bidirectional-override characters
    become spaces, runs of whitespace one space. Stored names are refused such characters
    already; this holds for whatever was stored before that rule."""
    return " ".join("".join(c if _shown(c) else " " for c in text).split())


def greeting_name(*candidates: str | None) -> str:
    """The first candidate (a display name, then the username) fit to greet with in a mail:
    on one line, and with nothing a mail client would turn into a link, so every link in
    a mail is the service's own. Empty when none is: the mail then greets nobody by name."""
    for candidate in candidates:
        name = one_line(candidate or "")[:NAME_KEPT]
        if name and not _LINK_LIKE.search(name):
            return name
    return ""


def render(kind: str, to: str, **context: Any) -> Mail:
    """Render the text and HTML parts of mail `kind` for `to`; text values on one line."""
    if kind not in MAIL_KINDS:
        raise ValueError(f"unknown mail kind {kind!r}")
    context = {k: one_line(v) if isinstance(v, str) else v for k, v in context.items()}
    text = _environment().get_template(f"{kind}.txt").render(**context)
    html = _environment().get_template(f"{kind}.html").render(**context)
    return Mail(kind=kind, to=to, subject=SUBJECTS[kind], text=text, html=html)
