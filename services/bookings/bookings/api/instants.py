"""How stored instants are shown: a booking's times in its location's zone, stamps in UTC.

Each field is a string in the OpenAPI document (format date-time); the stored value is an aware
UTC datetime, and the field writes it out, so a resource's schema is its one serialization.
"""
from __future__ import annotations

from datetime import timezone

from marshmallow import fields

from bookings.domain.booking import shown_at
from bookings.domain.requests import stored_precision


class LocalInstant(fields.String):
    """An instant of a booking in its location's zone with the offset (the booking keeps its `timezone`)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else shown_at(value, obj["timezone"]).isoformat()


class UtcInstant(fields.String):
    """A stamp (created, updated) in UTC; `milliseconds`: as the datastore keeps it, so that the
    answer to a create and every later read of the resource agree."""

    def __init__(self, milliseconds: bool = False, **kwargs):
        super().__init__(**kwargs)
        self._milliseconds = milliseconds

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None or isinstance(value, str):
            return value
        moment = stored_precision(value) if self._milliseconds else value
        return moment.astimezone(timezone.utc).isoformat()
