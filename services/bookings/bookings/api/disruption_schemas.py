"""What a booking shows of a disruption (shared decision 3): why it no longer fits, for staff, and
what the patient may do about it. Declared once; BookingSchema nests it, so the API and every
booking.* event carry the same shape."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from bookings.api.instants import UtcInstant
from bookings.domain.disruption import REASONS


class DisruptionOptionsSchema(Schema):
    reschedule = fields.Boolean(metadata={"description": "Another time with the same provider (always offered)"})
    telehealth = fields.Boolean(metadata={"description": "The same time by telehealth is bookable for this patient "
                                                        "(the service offers it, the provider is licensed in the "
                                                        "patient's state and works then, and nobody else has it)"})
    cancel = fields.Boolean(metadata={"description": "Cancelling (always offered; nothing is cancelled for them)"})


class DisruptionSchema(Schema):
    reason = fields.String(metadata={"enum": list(REASONS)})
    detail = fields.String(metadata={"description": "What changed, in a short English sentence for staff"})
    detected_at = UtcInstant(metadata={"format": "date-time"})
    options = fields.Nested(DisruptionOptionsSchema)


class DisruptionScanSchema(Schema):
    """Which bookings to look at again (staff; locations calls it after a schedule write)."""

    location_id = fields.String(load_default=None, validate=validate.Length(min=1, max=64))
    provider_id = fields.String(load_default=None, validate=validate.Length(min=1, max=64))


class DisruptionScanResultSchema(Schema):
    disrupted_bookings = fields.Integer(metadata={"description": "Active bookings this scan newly disrupted"})
    cleared_bookings = fields.Integer(metadata={"description": "Disrupted bookings that fit again and were cleared"})
    still_disrupted = fields.Integer(metadata={"description": "Bookings looked at that were already disrupted and "
                                                             "still do not fit"})
