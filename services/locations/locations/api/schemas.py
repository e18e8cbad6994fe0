"""Shapes of the locations API."""
from __future__ import annotations

from marshmallow import Schema, fields

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class AddressSchema(Schema):
    line1 = fields.String(required=True)
    city = fields.String(required=True)
    state = fields.String(required=True)
    postal_code = fields.String(required=True)


class IntervalSchema(Schema):
    open = fields.String(required=True, metadata={"example": "08:00"})
    close = fields.String(required=True, metadata={"example": "17:00"})


class LocationSchema(Schema):
    id = fields.String()
    name = fields.String()
    address = fields.Nested(AddressSchema, allow_none=True)
    timezone = fields.String()
    phone = fields.String(allow_none=True)
    modalities = fields.List(fields.String())
    hours = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(IntervalSchema)))
    active = fields.Boolean()


class LocationList(Schema):
    locations = fields.List(fields.Nested(LocationSchema))
