"""The event envelope: {"id", "type", "version", "occurred_at", "data"} (API.md, Events).

One marshmallow schema is the envelope's shape, both ways: what is published is its dump and what is
consumed is checked by its load, so a publisher and a consumer cannot disagree about it.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate


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
        return ENVELOPE.dump(self)

    def to_outbox(self) -> dict:
        """The pending form stored beside the aggregate until the relay publishes it."""
        return {**self.envelope(), "request_id": self.request_id}

    @classmethod
    def from_outbox(cls, doc: dict) -> "Event":
        return cls(type=doc["type"], data=doc["data"], id=doc["id"], version=doc["version"],
                   occurred_at=doc["occurred_at"], request_id=doc.get("request_id", ""))


def utc_now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


class EnvelopeSchema(Schema):
    """The contract's five fields; unknown top-level fields are ignored (the contract may grow)."""

    class Meta:
        unknown = EXCLUDE
        ordered = True

    id = fields.String(required=True, validate=validate.Length(min=1))
    type = fields.String(required=True, validate=validate.Length(min=1))
    version = fields.Integer(required=True, strict=True)
    occurred_at = fields.String(required=True)
    data = fields.Dict(required=True)


ENVELOPE = EnvelopeSchema()


def parse_envelope(body: dict, request_id: str = "") -> Event:
    if not isinstance(body, dict):
        raise EnvelopeError("event body is not a JSON object")
    try:
        loaded = ENVELOPE.load(body)
    except ValidationError as exc:
        raise EnvelopeError(f"not an event envelope: {exc.messages}") from None
    return Event(**loaded, request_id=request_id)
