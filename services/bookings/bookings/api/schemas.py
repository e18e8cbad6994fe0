"""Request and response shapes of the bookings API (marshmallow; they also feed the OpenAPI document)."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from clinic_common.us_states import US_STATES

ID = validate.Length(min=1, max=64)
E164 = validate.Regexp(r"^\+[1-9]\d{7,14}$", error="Use international format, e.g. +15555550123.")


class PatientSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.Email(required=True, validate=validate.Length(max=254))
    phone = fields.String(required=True, validate=E164)
    language = fields.String(required=True, validate=validate.OneOf(["en", "es"]))
    state = fields.String(required=True, validate=validate.OneOf(sorted(US_STATES)),
                          metadata={"description": "Two-letter US state the patient will be in"})


class BookingCreateSchema(Schema):
    service_id = fields.String(required=True, validate=ID)
    provider_id = fields.String(required=True, validate=ID)
    location_id = fields.String(required=True, validate=ID)
    start = fields.AwareDateTime(required=True, format="iso",
                                 metadata={"example": "2026-12-07T09:00:00-06:00"})
    patient = fields.Nested(PatientSchema, required=True)
    notes = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class BookingSchema(Schema):
    id = fields.String()
    status = fields.String()
    service_id = fields.String()
    provider_id = fields.String()
    location_id = fields.String()
    start = fields.AwareDateTime(format="iso")
    patient = fields.Nested(PatientSchema)
    notes = fields.String(allow_none=True)
    created_at = fields.AwareDateTime(format="iso")
    updated_at = fields.AwareDateTime(format="iso")


class BookingCreatedSchema(BookingSchema):
    manage_token = fields.String(metadata={"description": "Shown once; send it as X-Manage-Token to manage this booking"})
