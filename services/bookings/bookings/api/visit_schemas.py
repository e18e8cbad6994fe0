"""Request and response shapes of combined visits and their availability (they also feed the OpenAPI
document), and the one serialization of a visit, for the API and for its `visit.booked` event."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from webargs.fields import DelimitedList

from clinic_common.limits import supported_date
from clinic_common.us_states import US_STATES

from bookings.api.records import Records
from bookings.api.schemas import ID, BookingEventSchema, BookingSchema, PatientSchema, PatientViewSchema, Slot
from bookings.domain.availability import MAX_AVAILABILITY_DAYS
from bookings.domain.combined import DEFAULT_GAP_MINUTES, MAX_GAP_MINUTES
from bookings.domain.visits import STATUSES

STATE = validate.OneOf(sorted(US_STATES))
GAP = validate.Range(min=0, max=MAX_GAP_MINUTES)
GAP_DESCRIPTION = "The longest wait, in minutes, between the end of the first part and the start of the second"


class CombinedQuery(Schema):
    service_ids = DelimitedList(fields.String(validate=ID), required=True, validate=validate.Length(equal=2),
                                metadata={"description": "Two different services, comma-separated"})
    location_id = fields.String(required=True, validate=ID)
    from_ = fields.Date(required=True, data_key="from")
    to = fields.Date(required=True)
    patient_state = fields.String(validate=STATE)
    language = fields.String(validate=validate.OneOf(["en", "es"]))
    max_gap_minutes = fields.Integer(load_default=DEFAULT_GAP_MINUTES, validate=GAP,
                                     metadata={"description": GAP_DESCRIPTION})

    @validates_schema
    def _sane(self, data, **_kw):
        if len(set(data["service_ids"])) != 2:
            raise ValidationError({"service_ids": ["must name two different services"]})
        days = (data["to"] - data["from_"]).days
        if days < 0:
            raise ValidationError({"to": ["must be on or after 'from'"]})
        if days >= MAX_AVAILABILITY_DAYS:
            raise ValidationError({"to": [f"at most {MAX_AVAILABILITY_DAYS} days at a time"]})


class CombinedPart(Slot):
    service_id = fields.String(metadata={"description": "The service this part is for"})


class CombinedOption(Schema):
    parts = Records(CombinedPart, metadata={"description": "The two visits in time order"})


class CombinedAvailability(Schema):
    options = fields.List(fields.Nested(CombinedOption))
    truncated = fields.Boolean(metadata={"description": "More options exist than one answer lists (the earliest "
                                                        "come first): ask again from a later date"})


class VisitPartSchema(Schema):
    service_id = fields.String(required=True, validate=ID)
    provider_id = fields.String(required=True, validate=ID)
    start = fields.AwareDateTime(required=True, format="iso", validate=supported_date,
                                 metadata={"example": "2026-12-07T09:00:00-06:00"})
    location_id = fields.String(validate=ID, metadata={"description": "If given, the visit's location_id"})


class VisitCreateSchema(Schema):
    patient = fields.Nested(PatientSchema, required=True)
    parts = fields.List(fields.Nested(VisitPartSchema), required=True, validate=validate.Length(equal=2))
    location_id = fields.String(required=True, validate=ID)
    patient_state = fields.String(validate=STATE, metadata={"description": "Where the patient will be (the "
                                                                          "patient's state if absent)"})
    max_gap_minutes = fields.Integer(load_default=DEFAULT_GAP_MINUTES, validate=GAP,
                                     metadata={"description": GAP_DESCRIPTION})
    notes = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))

    @validates_schema
    def _one_place(self, data, **_kw):
        if data.get("patient_state") and data["patient_state"] != data["patient"]["state"]:
            raise ValidationError({"patient_state": ["must be the patient's state"]})
        if any(part.get("location_id", data["location_id"]) != data["location_id"] for part in data["parts"]):
            raise ValidationError({"parts": ["every part must be at the visit's location"]})


class _VisitFields(Schema):
    id = fields.String(attribute="_id")
    status = fields.String(metadata={"enum": list(STATUSES)})
    location_id = fields.String()
    modality = fields.String()
    timezone = fields.String()
    patient = fields.Nested(PatientViewSchema)
    version = fields.Integer()


class VisitSchema(_VisitFields):
    """A visit as the API shows it (never its token hash, its plan or its ledger places)."""

    bookings = fields.List(fields.Nested(BookingSchema), metadata={"description": "Its parts, in time order"})


class VisitCreatedSchema(VisitSchema):
    manage_token = fields.String(metadata={"description": "Shown once; as X-Manage-Token it manages the visit "
                                                          "and each of its bookings"})


class VisitEventSchema(_VisitFields):
    """What `visit.booked` carries: the visit and its parts as booking events show them (no notes)."""

    parts = fields.List(fields.Nested(BookingEventSchema))


_EVENT = VisitEventSchema()


def with_parts(visit: dict, parts: list[dict]) -> dict:
    """What VisitSchema dumps: the visit and its part bookings, in time order."""
    return {**visit, "bookings": sorted(parts, key=lambda b: b["start"])}


def visit_event(visit: dict, parts: list[dict]) -> dict:
    return _EVENT.dump({**visit, "parts": sorted(parts, key=lambda b: b["start"])})
