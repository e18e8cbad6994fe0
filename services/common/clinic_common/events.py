"""The event envelope: {"id", "type", "version", "occurred_at", "data"} (API.md, Events)."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone


class EnvelopeError(ValueError):
    """A message body that is not a valid event envelope."""


@dataclass(frozen=True)
class Event:
    type: str
    data: dict
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    version: int = 1
    occurred_at: str = field(default_factory=lambda: utc_now_iso())
    request_id: str = ""

    def envelope(self) -> dict:
        return {"id": self.id, "type": self.type, "version": self.version,
                "occurred_at": self.occurred_at, "data": self.data}

    def to_outbox(self) -> dict:
        """The pending form stored beside the aggregate until the relay publishes it."""
        return {**self.envelope(), "request_id": self.request_id}

    @classmethod
    def from_outbox(cls, doc: dict) -> "Event":
        return cls(type=doc["type"], data=doc["data"], id=doc["id"], version=doc["version"],
                   occurred_at=doc["occurred_at"], request_id=doc.get("request_id", ""))


def utc_now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def parse_envelope(body: dict, request_id: str = "") -> Event:
    if not isinstance(body, dict):
        raise EnvelopeError("event body is not a JSON object")
    missing = [k for k in ("id", "type", "version", "occurred_at", "data") if k not in body]
    if missing:
        raise EnvelopeError(f"event envelope lacks {', '.join(missing)}")
    if not isinstance(body["data"], dict) or not isinstance(body["id"], str) or not body["id"]:
        raise EnvelopeError("event id must be a string and data an object")
    return Event(type=body["type"], data=body["data"], id=body["id"], version=body["version"],
                 occurred_at=body["occurred_at"], request_id=request_id)
