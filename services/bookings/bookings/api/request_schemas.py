"""Request and response shapes of the appointment-requests API (marshmallow; they also feed the OpenAPI document)."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from clinic_common.limits import supported_date

from bookings.api.instants import UtcInstant
from bookings.api.schemas import ID, BookingCreatedSchema, PatientSchema, PatientViewSchema
from bookings.domain.requests import (CREATED_EVENT_OMITS, DAYS, MAX_LOCATIONS, MAX_NOTES, MAX_REASON, MODALITIES,
                                      OUTCOME_FIELDS, STATUSES, TIMES)

# Ids of the practice's catalog, as locations accepts them: also keeps them plain inside a URL path.
CATALOG_ID = validate.Regexp(r"^[A-Za-z0-9_-]{1,64}$", error="Not a valid id.")


def _choices(options: tuple[str, ...], most: int, description: str):
    return fields.List(fields.String(validate=validate.OneOf(options)), load_default=list,
                       validate=validate.Length(max=most), metadata={"description": description})


class AppointmentRequestCreateSchema(Schema):
    patient = fields.Nested(PatientSchema, required=True)
    service_id = fields.String(required=True, validate=CATALOG_ID)
    modality = fields.String(required=True, validate=validate.OneOf(MODALITIES))
    location_ids = fields.List(fields.String(validate=CATALOG_ID), load_default=list,
                               validate=validate.Length(max=MAX_LOCATIONS),
                               metadata={"description": "Preferred locations: at least one for in_person; "
                                                        "telehealth defaults to ['telehealth']"})
    preferred_days = _choices(DAYS, 2 * len(DAYS), "Days that suit the patient; empty: any")
    preferred_times = _choices(TIMES, 2 * len(TIMES), "morning, afternoon, evening; empty: any")
    notes = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=MAX_NOTES))


class AppointmentRequestSchema(Schema):
    """A request as the API shows it, dumped straight from its stored document."""

    id = fields.String(attribute="_id")
    status = fields.String(metadata={"enum": list(STATUSES)})
    patient = fields.Nested(PatientViewSchema)
    service_id = fields.String()
    modality = fields.String(metadata={"enum": list(MODALITIES)})
    location_ids = fields.List(fields.String())
    preferred_days = fields.List(fields.String(metadata={"enum": list(DAYS)}))
    preferred_times = fields.List(fields.String(metadata={"enum": list(TIMES)}))
    notes = fields.String(allow_none=True)
    booking_id = fields.String(allow_none=True, metadata={"description": "Set when staff booked the request"})
    close_reason = fields.String(allow_none=True)
    created_at = UtcInstant(milliseconds=True, metadata={"format": "date-time"})
    updated_at = UtcInstant(milliseconds=True, metadata={"format": "date-time"})


class AppointmentRequestCreatedEvent(AppointmentRequestSchema):
    class Meta:
        exclude = CREATED_EVENT_OMITS


class AppointmentRequestOutcomeEvent(AppointmentRequestSchema):
    """appointment_request.booked / .closed: what happened to which request, nothing about the patient."""

    class Meta:
        fields = OUTCOME_FIELDS


class AppointmentRequestList(Schema):
    appointment_requests = fields.List(fields.Nested(AppointmentRequestSchema))


class AppointmentRequestQuery(Schema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    location_id = fields.String(validate=CATALOG_ID)
    limit = fields.Integer(load_default=200, validate=validate.Range(min=1, max=500))


class AppointmentRequestBookSchema(Schema):
    provider_id = fields.String(required=True, validate=ID)
    location_id = fields.String(required=True, validate=ID)
    start = fields.AwareDateTime(required=True, format="iso", validate=supported_date,
                                 metadata={"example": "2026-12-07T09:00:00-06:00"})


class AppointmentRequestBookedSchema(Schema):
    appointment_request = fields.Nested(AppointmentRequestSchema)
    booking = fields.Nested(BookingCreatedSchema)
    warning = fields.String(metadata={"description": "Present only when the booking was made but the request "
                                                     "could not be marked booked; staff should check it"})


class AppointmentRequestCloseSchema(Schema):
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=MAX_REASON))
