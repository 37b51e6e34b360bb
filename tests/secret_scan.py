"""Records what the suite sends and sees, to prove secrets never leak into a response or log.

Every response the in-process clients receive and every log line the service writes during
the session are kept; passwords sent, tokens issued and hashes stored are collected; at
the end of the session none of them may appear anywhere it should not.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any, TextIO
from urllib.parse import parse_qs

import httpx

SECRET_FIELDS = ("password", "current_password", "new_password")
TOKEN_FIELDS = ("access_token", "refresh_token", "challenge", "secret")
# Lists of one-time secrets shown once (second-factor recovery codes).
TOKEN_LIST_FIELDS = ("recovery_codes",)
MIN_SECRET_LENGTH = 8  # shorter strings would match ordinary text by chance


class Tee(io.TextIOBase):
    """A text stream that writes to several streams."""

    def __init__(self, *streams: TextIO) -> None:
        self.streams = streams

    def write(self, text: str) -> int:
        """Write `text` to every stream."""
        for stream in self.streams:
            stream.write(text)
        return len(text)

    def flush(self) -> None:
        """Flush every stream."""
        for stream in self.streams:
            stream.flush()


@dataclass
class SecretLedger:
    """What was seen and what must stay hidden."""

    log: io.StringIO = field(default_factory=io.StringIO)
    responses: list[str] = field(default_factory=list)
    passwords: set[str] = field(default_factory=set)
    hashes: set[str] = field(default_factory=set)
    tokens: dict[str, int] = field(default_factory=dict)  # token -> index of issuing response

    async def on_request(self, request: httpx.Request) -> None:
        """Collect passwords from JSON and form bodies."""
        try:
            content = request.content
        except httpx.RequestNotRead:  # a streamed body: reading it here would consume it
            return
        if not content:
            return
        values: dict[str, Any] = {}
        content_type = request.headers.get("content-type", "")
        try:
            if "json" in content_type:
                parsed = json.loads(content)
                values = parsed if isinstance(parsed, dict) else {}
            elif "x-www-form-urlencoded" in content_type:
                values = {k: v[0] for k, v in parse_qs(content.decode()).items()}
        except (ValueError, UnicodeDecodeError, RecursionError):  # hostile bodies hold no secret
            return
        for name in SECRET_FIELDS:
            value = values.get(name)
            if isinstance(value, str) and len(value) >= MIN_SECRET_LENGTH:
                self.passwords.add(value)

    async def on_response(self, response: httpx.Response) -> None:
        """Keep the body; note the tokens it issues."""
        await response.aread()
        text = response.text
        index = len(self.responses)
        self.responses.append(text)
        content_type = response.headers.get("content-type", "")
        if content_type.startswith(("application/json", "application/problem+json")):
            try:
                body = json.loads(text)
            except ValueError:
                return
            if isinstance(body, dict):
                for name in TOKEN_FIELDS:
                    if isinstance(body.get(name), str):
                        self.tokens[body[name]] = index
                for name in TOKEN_LIST_FIELDS:
                    for value in body.get(name) or []:
                        if isinstance(value, str):
                            self.tokens[value] = index

    def leaks(self) -> list[str]:
        """Every place a secret showed up where it must not."""
        found: list[str] = []
        log_text = self.log.getvalue()
        # One search per secret through every distinct body at once, rather than one per
        # body: thousands of secrets times thousands of responses took most of a minute.
        # Only a secret found there is looked for body by body, to say where.
        indices: dict[str, list[int]] = {}
        for index, body in enumerate(self.responses):
            indices.setdefault(body, []).append(index)
        bodies = "\0".join(indices)
        for secret in self.passwords | self.hashes:
            if secret in log_text:
                found.append(f"secret {secret[:6]}... in the log")
            if secret in bodies:
                found.extend(
                    f"secret {secret[:6]}... in response #{index}"
                    for index, body in enumerate(self.responses)
                    if secret in body
                )
        for token, issued_in in self.tokens.items():
            if token in log_text:
                found.append(f"token {token[:6]}... in the log")
            # The issuing body holds the token; any further occurrence is elsewhere.
            issuing = self.responses[issued_in]
            if len(indices[issuing]) > 1 or bodies.count(token) > issuing.count(token):
                found.extend(
                    f"token {token[:6]}... in response #{index}"
                    for index, body in enumerate(self.responses)
                    if index != issued_in and token in body
                )
        return found

    def hooks(self) -> dict[str, list[Any]]:
        """httpx event hooks that feed this ledger."""
        return {"request": [self.on_request], "response": [self.on_response]}
