"""What the disruption preview answers: the bookings a closure or special hours not saved yet would disrupt."""
from __future__ import annotations

from marshmallow import Schema, fields

from bookings.api.schemas import BookingSchema
from bookings.domain.disruption import REASONS


class WouldDisrupt(Schema):
    booking = fields.Nested(BookingSchema)
    reason = fields.String(metadata={"enum": list(REASONS)})
    detail = fields.String(metadata={"description": "Why, in the short English sentence the disruption would carry"})


class DisruptionPreviewResultSchema(Schema):
    disrupted_bookings = fields.Integer(metadata={"description": "How many active bookings ahead the change would "
                                                                "disrupt (those disrupted already are not counted)"})
    bookings = fields.List(fields.Nested(WouldDisrupt), metadata={"description": "Soonest first"})
