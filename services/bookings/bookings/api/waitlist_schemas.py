"""Request and response shapes of the waitlist; the entry's view is also what waitlist.* events carry
(with the patient, whom notifications writes to, and never the token hash or the offers already made)."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from clinic_common.limits import supported_date
from clinic_common.us_states import US_STATES

from bookings.api.instants import UtcInstant
from bookings.api.schemas import ID, PatientSchema, PatientViewSchema, Snapshot
from bookings.domain.booking import shown_at
from bookings.domain.waitlist import DAYS, STATUSES, WaitlistInvalid, parse_windows
from bookings.domain.waitlist_offers import OUTCOMES

STATE = validate.OneOf(sorted(US_STATES))
CLOCK = validate.Regexp(r"^([01][0-9]|2[0-3]):[0-5][0-9]$", error="must be HH:MM")
MODALITIES = ("in_person", "telehealth")


class WindowSchema(Schema):
    days = fields.List(fields.String(validate=validate.OneOf(DAYS)), required=True,
                       validate=validate.Length(min=1, max=7))
    from_ = fields.String(required=True, data_key="from", validate=CLOCK, metadata={"example": "09:00"})
    to = fields.String(required=True, validate=CLOCK, metadata={"example": "12:00"})

    @validates_schema
    def _ordered(self, data, **_kw):
        if data.get("from_") and data.get("to") and data["from_"] >= data["to"]:
            raise ValidationError({"to": ["must be after 'from'"]})


class WaitlistCreateSchema(Schema):
    patient = fields.Nested(PatientSchema, required=True)
    service_id = fields.String(required=True, validate=ID)
    modality = fields.String(required=True, validate=validate.OneOf(MODALITIES))
    location_ids = fields.List(fields.String(validate=ID), required=True, validate=validate.Length(min=1, max=10))
    provider_id = fields.String(validate=ID, metadata={"description": "Only this provider, if given"})
    language = fields.String(validate=validate.OneOf(["en", "es"]),
                             metadata={"description": "A provider who speaks it, if given"})
    patient_state = fields.String(validate=STATE, metadata={"description": "Where the patient will be during a "
                                                                          "telehealth visit (the patient's state if absent)"})
    windows = fields.List(fields.Nested(WindowSchema), load_default=list, validate=validate.Length(max=21),
                          metadata={"description": "When the patient can come, in the clinic's wall clock; none: any time"})
    until = fields.Date(required=True, validate=supported_date, metadata={"description": "The last date to offer"})

    @validates_schema
    def _windows(self, data, **_kw):
        raw = [{"days": w["days"], "from": w["from_"], "to": w["to"]} for w in data.get("windows") or []]
        try:
            parse_windows(raw)
        except WaitlistInvalid as exc:
            raise ValidationError(exc.errors) from None


class WindowView(Schema):
    days = fields.List(fields.String())
    from_ = fields.String(data_key="from", attribute="from")
    to = fields.String()


class OfferLocalInstant(fields.String):
    """An offered slot's time in its clinic's zone (the offer keeps its `timezone`)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else shown_at(value, obj["timezone"]).isoformat()


class OfferSchema(Schema):
    id = fields.String()
    provider_id = fields.String()
    location_id = fields.String()
    service_id = fields.String()
    modality = fields.String()
    start = OfferLocalInstant(metadata={"format": "date-time"})
    end = OfferLocalInstant(metadata={"format": "date-time"})
    expires_at = UtcInstant(metadata={"format": "date-time", "description": "Accept before this, or it goes on"})
    service = fields.Nested(Snapshot)
    provider = fields.Nested(Snapshot)
    location = fields.Nested(Snapshot)


class PastOfferSchema(OfferSchema):
    outcome = fields.String(metadata={"enum": list(OUTCOMES), "description": "How the offer ended: declined, "
                                      "expired (ran out), withdrawn (the entry with it), accepted (booked)"})
    ended_at = UtcInstant(metadata={"format": "date-time"})


class _EntryFields(Schema):
    id = fields.String(attribute="_id")
    status = fields.String(metadata={"enum": list(STATUSES)})
    service_id = fields.String()
    modality = fields.String()
    location_ids = fields.List(fields.String())
    provider_id = fields.String(allow_none=True)
    language = fields.String(allow_none=True)
    patient_state = fields.String(allow_none=True)
    windows = fields.List(fields.Nested(WindowView))
    until = fields.String(metadata={"format": "date"})
    joined_at = UtcInstant(metadata={"format": "date-time"})
    offer = fields.Nested(OfferSchema, allow_none=True, metadata={"description": "The live offer, while `offered`"})
    booking_id = fields.String(allow_none=True, metadata={"description": "The booking an accepted offer made"})
    version = fields.Integer()
    updated_at = UtcInstant(metadata={"format": "date-time"})


class WaitlistEntrySchema(_EntryFields):
    """A waitlist entry as the API shows it (never its token hash); also its ended offers, which events leave out."""

    patient = fields.Nested(PatientViewSchema)
    past_offers = fields.List(fields.Nested(PastOfferSchema), dump_default=list,
                              metadata={"description": "Offers that ended, oldest first (at most 20)"})
    created_at = UtcInstant(metadata={"format": "date-time"})


class WaitlistCreatedSchema(WaitlistEntrySchema):
    manage_token = fields.String(metadata={"description": "Shown once; as X-Manage-Token it reads, withdraws or "
                                                          "accepts for this entry"})


class WaitlistEventSchema(_EntryFields):
    """What waitlist.* events carry: the entry, the patient to write to, and why it expired (waitlist.expired)."""

    patient = fields.Nested(PatientViewSchema)
    reason = fields.String(allow_none=True, metadata={"enum": ["offer_ran_out", "entry_ended"]})


class WaitlistList(Schema):
    entries = fields.List(fields.Nested(WaitlistEntrySchema))


class WaitlistQuery(Schema):
    location_id = fields.String(validate=ID)
    service_id = fields.String(validate=ID)
    status = fields.String(validate=validate.OneOf(STATUSES))
    limit = fields.Integer(load_default=200, validate=validate.Range(min=1, max=500))


class OfferAnswerSchema(Schema):
    offer_id = fields.String(required=True, validate=validate.Length(min=1, max=64))


_VIEW, _EVENT = WaitlistEntrySchema(), WaitlistEventSchema()


def entry_view(doc: dict) -> dict:
    return _VIEW.dump(doc)


def entry_event(doc: dict, _event_type: str) -> dict:
    return _EVENT.dump(doc)
