"""What a booking shows of a disruption (shared decision 3): why it no longer fits, for staff, and
what the patient may do about it. Declared once; BookingSchema nests it, so the API and every
booking.* event carry the same shape."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from clinic_common.limits import supported_date

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
    since = fields.AwareDateTime(format="iso", validate=supported_date, load_default=None, metadata={
        "description": "When the change being judged was made (locations: when its write began). Bookings "
                       "disrupted since then count as this change's even when another scan of the same change "
                       "(the worker's, on its event) marked them first."})


class DisruptionScanResultSchema(Schema):
    disrupted_bookings = fields.Integer(metadata={"description": "Active bookings this change disrupts: newly "
                                                                "disrupted by this scan, and with `since`, those "
                                                                "disrupted since then"})
    cleared_bookings = fields.Integer(metadata={"description": "Disrupted bookings that fit again and were cleared"})
    still_disrupted = fields.Integer(metadata={"description": "Bookings looked at that were already disrupted "
                                                             "(before `since`, if given) and still do not fit"})


HHMM = validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", error="Use HH:MM between 00:00 and 23:59.")
PREVIEW_MAX_DAYS = 366


class ProposedInterval(Schema):
    open = fields.String(required=True, validate=HHMM, metadata={"example": "09:00"})
    close = fields.String(required=True, validate=HHMM, metadata={"example": "12:00"})

    @validates_schema
    def _ordered(self, data, **_):
        if data["close"] <= data["open"]:
            raise ValidationError("close must be after open (no overnight intervals).", "close")


class ProposedClosure(Schema):
    """A closure or special hours as POST /locations/{id}/closures takes it, not saved yet."""

    from_ = fields.Date(required=True, data_key="from", validate=supported_date)
    to = fields.Date(required=True, validate=supported_date)
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    intervals = fields.List(fields.Nested(ProposedInterval), load_default=None, allow_none=True,
                            validate=validate.Length(min=1, max=12),
                            metadata={"description": "Special hours that day; null or absent: closed all day"})
    provider_ids = fields.List(fields.String(validate=validate.Length(min=1, max=64)), load_default=list,
                               validate=validate.Length(max=200),
                               metadata={"description": "Who staffs the special hours in full"})

    @validates_schema
    def _range(self, data, **_):
        if data["to"] < data["from_"]:
            raise ValidationError("to must not be before from.", "to")
        if (data["to"] - data["from_"]).days >= PREVIEW_MAX_DAYS:
            raise ValidationError(f"At most {PREVIEW_MAX_DAYS} days at once.", "to")
        spans = sorted((i["open"], i["close"]) for i in data.get("intervals") or ())
        if any(later[0] < earlier[1] for earlier, later in zip(spans, spans[1:])):
            raise ValidationError("Intervals must not overlap.", "intervals")


class DisruptionPreviewSchema(Schema):
    location_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    closure = fields.Nested(ProposedClosure, required=True)
