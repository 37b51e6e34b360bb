"""Account mails rendered from Jinja2 templates: a plain-text part and an HTML part."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATE_DIR = Path(__file__).parent / "templates"
# Mail kinds: the template names, the `kind` of log events and the metrics label.
MAIL_KINDS = ("verify_email", "reset_password", "password_changed")

# Autoescape in HTML only (a name like `<b>Ada</b>` must not become markup); StrictUndefined
# so a template that names a missing value fails loudly instead of mailing a blank link.
_ENV = Environment(
    loader=FileSystemLoader(TEMPLATE_DIR),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class Mail:
    """One message to one recipient. `link` is kept apart so logs can leave it out."""

    kind: str
    to: str
    subject: str
    text: str
    html: str


SUBJECTS = {
    "verify_email": "Confirm your email address",
    "reset_password": "Reset your password",
    "password_changed": "Your password was changed",
}


def render(kind: str, to: str, **context: Any) -> Mail:
    """Render the text and HTML parts of mail `kind` for `to`."""
    if kind not in MAIL_KINDS:
        raise ValueError(f"unknown mail kind {kind!r}")
    text = _ENV.get_template(f"{kind}.txt").render(**context)
    html = _ENV.get_template(f"{kind}.html").render(**context)
    return Mail(kind=kind, to=to, subject=SUBJECTS[kind], text=text, html=html)
