"""Jinja2 environments for the service's own templates, built on first use.

Jinja2 is imported by the first page or mail a worker renders, not by every worker at
start. Autoescaping is on for HTML templates; StrictUndefined makes a template that
names a value its caller did not pass fail loudly instead of rendering a blank.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2 import Environment


def template_environment(
    directory: Path, *, escape_strings: bool, keep_trailing_newline: bool = False
) -> Environment:
    """An environment loading `directory`; `escape_strings` autoescapes templates built
    from strings too."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=FileSystemLoader(directory),
        autoescape=select_autoescape(
            enabled_extensions=("html",), default_for_string=escape_strings
        ),
        undefined=StrictUndefined,
        keep_trailing_newline=keep_trailing_newline,
    )
