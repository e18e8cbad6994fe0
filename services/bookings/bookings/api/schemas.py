"""Request and response shapes of the bookings API (marshmallow; they also feed the OpenAPI document)."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from clinic_common.apidoc import ProblemSchema
from clinic_common.limits import supported_date
from clinic_common.us_states import US_STATES

from bookings.api.disruption_schemas import DisruptionSchema
from bookings.api.instants import LocalInstant, UtcInstant
from bookings.api.patient_schemas import PatientSchema, PatientViewSchema
from bookings.api.records import Records
from bookings.domain.availability import MAX_AVAILABILITY_DAYS
from bookings.domain.booking import EVENT_OMITS
from bookings.domain.lifecycle import STATUSES

ID = validate.Length(min=1, max=64)


class SlotChoiceSchema(Schema):
    """The time a patient picked: what a booking, a hold and a series' first visit all name."""

    service_id = fields.String(required=True, validate=ID)
    provider_id = fields.String(required=True, validate=ID)
    location_id = fields.String(required=True, validate=ID)
    start = fields.AwareDateTime(required=True, format="iso", validate=supported_date,
                                 metadata={"example": "2026-12-07T09:00:00-06:00"})


class BookingCreateSchema(SlotChoiceSchema):
    patient = fields.Nested(PatientSchema, required=True)
    notes = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class CatalogTexts(Schema):
    name = fields.String()
    description = fields.String()


class Snapshot(Schema):
    """What a booking keeps of its visit type, provider or location (each shows its own fields)."""

    name = fields.String(metadata={"description": "in English"})
    credentials = fields.String()
    duration_minutes = fields.Integer()
    buffer_minutes = fields.Integer()
    address = fields.Dict(allow_none=True)
    phone = fields.String(allow_none=True, metadata={"description": "the location's, E.164"})
    phone_display = fields.String(allow_none=True, metadata={"description": "the location's phone as people read "
                                                                            "it: (870) 555-0100"})
    timezone = fields.String()
    translations = fields.Dict(keys=fields.String(), values=fields.Nested(CatalogTexts),
                               metadata={"description": "the visit type's or location's texts in other languages "
                                                        "than English ({'es': {'name', 'description'}}); a text left "
                                                        "out falls back to the English one"})


class BookingSchema(Schema):
    """A booking as the API shows it, dumped straight from its stored document (never the token hash,
    the ledger's fields or the zone it keeps to show its times)."""

    id = fields.String(attribute="_id")
    status = fields.String(metadata={"enum": list(STATUSES)})
    service_id = fields.String()
    provider_id = fields.String()
    location_id = fields.String()
    modality = fields.String()
    start = LocalInstant(metadata={"format": "date-time", "description": "in the location's zone, with offset"})
    end = LocalInstant(metadata={"format": "date-time"})
    patient = fields.Nested(PatientViewSchema)
    notes = fields.String(allow_none=True)
    cancel_reason = fields.String(allow_none=True)
    service = fields.Nested(Snapshot)
    provider = fields.Nested(Snapshot)
    location = fields.Nested(Snapshot)
    created_at = UtcInstant(metadata={"format": "date-time"})
    updated_at = UtcInstant(metadata={"format": "date-time"})
    version = fields.Integer(metadata={"description": "Raised by one with every change: orders a booking's events "
                                                      "and is the SEQUENCE of its calendar invitations"})
    series_id = fields.String(metadata={"description": "The series this visit is an occurrence of (absent: none)"})
    visit_id = fields.String(metadata={"description": "The combined visit this booking is a part of (absent: none)"})
    cancelled_with_series = fields.Boolean(metadata={"description": "true: cancelled as part of its series' cancel "
                                                                    "(one message for the series, not one per visit)"})
    cancelled_with_visit = fields.Boolean(metadata={"description": "true: cancelled as part of its combined visit's "
                                                                   "cancel (one message for the visit, not one per part)"})
    late = fields.Boolean(metadata={"description": "true: it was cancelled or moved inside CANCEL_CUTOFF_HOURS of "
                                                   "the visit (only staff may; it stays recorded); absent: never"})
    disruption = fields.Nested(DisruptionSchema, allow_none=True, dump_default=None,
                               metadata={"description": "null, or why the booking no longer fits the clinic's "
                                                        "schedule and the patient's options (README: Disruptions)"})


class BookingEventSchema(BookingSchema):
    """What booking.* events carry: the booking's view less what events must not carry."""

    class Meta:
        exclude = EVENT_OMITS


class BookingCreatedSchema(BookingSchema):
    manage_token = fields.String(metadata={"description": "Shown once; send it as X-Manage-Token to manage this booking"})


class BookingList(Schema):
    bookings = fields.List(fields.Nested(BookingSchema))


class BookingQuery(Schema):
    location_id = fields.String(validate=ID)
    provider_id = fields.String(validate=ID)
    status = fields.String(validate=validate.OneOf(STATUSES))
    disrupted = fields.Boolean(metadata={"description": "true: only active bookings that no longer fit the schedule"})
    from_ = fields.AwareDateTime(data_key="from", format="iso", validate=supported_date)
    to = fields.AwareDateTime(format="iso", validate=supported_date)
    limit = fields.Integer(load_default=200, validate=validate.Range(min=1, max=500))


class ChangePolicySchema(Schema):
    """The booking policy a patient sees before booking (GET /bookings/policy)."""

    cancel_cutoff_hours = fields.Float(metadata={"description": "Inside this many hours of a visit, a patient can no "
                                                                "longer cancel or move it online (call the clinic)"})
    min_notice_hours = fields.Float(metadata={"description": "A visit is booked at least this many hours ahead"})
    booking_horizon_days = fields.Float(metadata={"description": "and at most this many days ahead"})


class LateChangeProblemSchema(ProblemSchema):
    """409 /problems/late-change: a patient's cancel or move inside the cutoff; the clinic can still do it."""

    phone = fields.String(allow_none=True, metadata={"description": "The clinic's phone (from the booking's location)"})
    cancel_cutoff_hours = fields.Float()


class CancelSchema(Schema):
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))


class RescheduleSchema(Schema):
    start = fields.AwareDateTime(required=True, format="iso", validate=supported_date)
    provider_id = fields.String(validate=ID)
    modality = fields.String(validate=validate.OneOf(["in_person", "telehealth"]),
                             metadata={"description": "Absent: the booking's own. `telehealth` for an in-person "
                                                      "booking moves it to the telehealth location (a disruption's "
                                                      "telehealth option); needs patient_state"})
    patient_state = fields.String(validate=validate.OneOf(sorted(US_STATES)),
                                  metadata={"description": "Where the patient will be during a telehealth visit"})


class AvailabilityQuery(Schema):
    service_id = fields.String(required=True, validate=ID)
    location_id = fields.String(required=True, validate=ID)
    from_ = fields.Date(required=True, data_key="from")
    to = fields.Date(required=True)
    provider_id = fields.String(validate=ID)
    language = fields.String(validate=validate.OneOf(["en", "es"]))
    patient_state = fields.String(validate=validate.OneOf(sorted(US_STATES)))

    @validates_schema
    def _range(self, data, **_kw):
        days = (data["to"] - data["from_"]).days
        if days < 0:
            raise ValidationError({"to": ["must be on or after 'from'"]})
        if days >= MAX_AVAILABILITY_DAYS:
            raise ValidationError({"to": [f"at most {MAX_AVAILABILITY_DAYS} days at a time"]})


class Slot(Schema):
    start = fields.String()
    end = fields.String()
    provider_id = fields.String()
    location_id = fields.String()
    modality = fields.String()


class Availability(Schema):
    slots = Records(Slot)
