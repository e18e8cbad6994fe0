"""Request and response shapes of holds (docs/holds.md), and the booking request that may name one."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from clinic_common.us_states import US_STATES

from bookings.api.instants import LocalInstant, UtcInstant
from bookings.api.schemas import ID, BookingCreateSchema, SlotChoiceSchema


class HoldCreateSchema(SlotChoiceSchema):
    patient_state = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(sorted(US_STATES)),
                                  metadata={"description": "Two-letter US state the patient will be in "
                                                           "(required for telehealth)"})


class HeldSlotSchema(Schema):
    service_id = fields.String()
    provider_id = fields.String()
    location_id = fields.String()
    modality = fields.String()
    start = LocalInstant(metadata={"format": "date-time", "description": "in the location's zone, with offset"})
    end = LocalInstant(metadata={"format": "date-time"})


class HoldCreatedSchema(Schema):
    id = fields.String(attribute="_id")
    hold_token = fields.String(metadata={"description": "Shown once: send it as X-Hold-Token to book or let go"})
    expires_at = UtcInstant(milliseconds=True, metadata={"format": "date-time"})
    slot = fields.Nested(HeldSlotSchema)


class BookingWithHoldCreateSchema(BookingCreateSchema):
    """POST /bookings: optionally from a hold (`hold_id`, with its token in X-Hold-Token)."""

    hold_id = fields.String(load_default=None, allow_none=True, validate=ID,
                            metadata={"description": "Book exactly this held slot (send X-Hold-Token)"})
