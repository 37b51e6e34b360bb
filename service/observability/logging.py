"""structlog configuration: one JSON object per line (or a console renderer for humans)."""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

import orjson
import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

# Keys whose values must never reach a log line, wherever they come from.
SECRET_KEYS = frozenset(
    {
        "password",
        "new_password",
        "current_password",
        "password_hash",
        "token",
        "access_token",
        "refresh_token",
        "authorization",
        "jwt_secret",
        "jwt_signing_key",
        "jwt_verify_keys",
        "private_key",
        "secret",
    }
)


def redact_secrets(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """Replace the value of any secret-looking key with a fixed marker."""
    for key in SECRET_KEYS.intersection(event_dict):
        event_dict[key] = "[REDACTED]"
    return event_dict


def _orjson_dumps(event_dict: EventDict, **_: Any) -> str:
    return orjson.dumps(event_dict, default=str).decode()


class _Output:
    """Where log lines go, handed to structlog and to `logging` at configuration.

    The loggers those libraries cache keep this object, so reconfiguring swaps the stream
    (and the access-line mode) inside it rather than replacing it: it is the one piece of
    logging state, held process-wide because the logging libraries are.
    """

    def __init__(self) -> None:
        self.stream: TextIO = sys.stdout
        # Render the access line directly (JSON output at INFO or below), see `log_access`.
        self.fast_access = False

    def write(self, text: str) -> int:
        """Write to the current stream."""
        return self.stream.write(text)

    def flush(self) -> None:
        """Flush the current stream."""
        self.stream.flush()


_OUTPUT = _Output()


def log_access(**fields: Any) -> None:
    """Write one `http.request` event (called once per request by the access middleware).

    With JSON output at INFO or below, the line is rendered directly: same keys and format
    as every structlog event, a fraction of the processor chain's cost on the hottest log
    line of the service. Its fields are fixed and carry no secrets. Otherwise structlog
    renders it.
    """
    if _OUTPUT.fast_access:
        fields["event"] = "http.request"
        fields["level"] = "info"
        fields["timestamp"] = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        _OUTPUT.write(orjson.dumps(fields, default=str).decode() + "\n")
        _OUTPUT.flush()
    else:
        _access_log.info("http.request", **fields)


_access_log = structlog.get_logger("service.access")


def configure_logging(level: str = "INFO", fmt: str = "json", stream: TextIO | None = None) -> None:
    """Route structlog and the standard library's loggers to `stream` in one format.

    structlog's own loggers write straight to the stream (the fast path); records from
    libraries that use `logging` (uvicorn, pymongo) go through the same processors so
    operators read a single format.
    """
    _OUTPUT.stream = stream if stream is not None else sys.stdout
    _OUTPUT.fast_access = fmt == "json" and logging.getLevelNamesMapping()[level] <= logging.INFO
    output: Any = _OUTPUT
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        redact_secrets,
    ]
    renderer: Processor
    if fmt == "console":
        renderer = structlog.dev.ConsoleRenderer(colors=False)
    else:
        renderer = structlog.processors.JSONRenderer(serializer=_orjson_dumps)

    structlog.configure(
        processors=[
            *shared,
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelNamesMapping()[level]),
        logger_factory=structlog.WriteLoggerFactory(file=output),
        # Each logger binds its configuration once (binding costs ~30 µs per request
        # otherwise); reconfiguring swaps the stream inside _OUTPUT, which they all share.
        cache_logger_on_first_use=True,
    )

    handler = logging.StreamHandler(output)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[*shared, structlog.stdlib.add_logger_name],
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # The access middleware logs every request; uvicorn's own access log would duplicate it.
    logging.getLogger("uvicorn.access").disabled = True
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    # PyMongo's structured debug logs include full commands; keep them out of INFO.
    logging.getLogger("pymongo").setLevel(max(logging.getLevelNamesMapping()[level], logging.INFO))
