"""JSON log lines that carry the request id. Patient data never goes in a log line: log ids, not people."""
from __future__ import annotations

import contextvars
import logging
import re
import sys
import traceback
import unicodedata
import uuid

from pythonjsonlogger.json import JsonFormatter

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


def new_request_id() -> str:
    return uuid.uuid4().hex


SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")


def accept_request_id(raw: str | None) -> str:
    """A caller's X-Request-ID when it is short plain ASCII; otherwise a new one. It lands in every log
    line, audit entry and event header: a client must not be able to write arbitrary text there."""
    if raw and SAFE_REQUEST_ID.fullmatch(raw):
        return raw
    return new_request_id()


def bounded_text(value: str, limit: int = 200) -> str:
    """A client-supplied string (a path, an id from a URL) fit for a log line or an audit entry:
    control and format characters removed (no forged lines, no terminal escapes), at most `limit` long."""
    clean = "".join(c for c in value[: limit * 2] if unicodedata.category(c)[0] != "C")
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def current_request_id() -> str:
    return _request_id.get()


def bind_request_id(request_id: str) -> contextvars.Token:
    return _request_id.set(request_id)


def unbind_request_id(token: contextvars.Token) -> None:
    _request_id.reset(token)


class _RequestIdFilter(logging.Filter):
    def __init__(self, service: str):
        super().__init__()
        self.service = service

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        record.service = self.service
        return True


QUERY = re.compile(r"\?[^\s'\"]*")
# urllib3 quotes the request URL in its warnings (a retried connect, unparsable headers);
# werkzeug's development server logs whole request lines.
URL_QUOTING_LOGGERS = ("urllib3.connectionpool", "urllib3.connection", "urllib3.response", "werkzeug")


class StripQueryStrings(logging.Filter):
    """Cut query strings out of third-party log lines: patient data travels in them (?patient_state=...)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "?" in message:
            record.msg, record.args = QUERY.sub("?[redacted]", message), ()
        return True


def _install_log_redaction() -> None:
    for name in URL_QUOTING_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, StripQueryStrings) for f in logger.filters):
            logger.addFilter(StripQueryStrings())


def log_failure(logger: logging.Logger, message: str, exc: BaseException, **extra) -> None:
    """An unexpected exception as its type and stack frames, never its message: messages can quote
    the data they failed on (an address a mail server refused, a field value), and patient data
    never goes in a log line."""
    frames = "".join(traceback.format_tb(exc.__traceback__))[-4000:]
    logger.error(message, extra={**extra, "error": type(exc).__name__, "frames": frames})


def configure_logging(service: str, level: str = "INFO") -> None:
    """Send every logger's records to stdout as JSON lines; safe to call more than once."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        JsonFormatter(
            "{asctime}{levelname}{name}{message}{request_id}{service}",
            style="{",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
    )
    handler.addFilter(_RequestIdFilter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("pika", "urllib3", "pymongo", "werkzeug"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    _install_log_redaction()
