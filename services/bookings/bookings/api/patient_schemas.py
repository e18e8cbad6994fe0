"""The patient of a booking, hold-less or not, series, visit, waitlist entry or appointment request: what a
request gives and what the API (and so every event) shows. Declared once for every resource.

Two fields differ between a request and a view: `sms_consent` is the box the patient ticked (true) in a
request and what was recorded (when, which wording, which language) in a view; `timezone` is optional
and, when given, must be one of the zones of the patient's state (`state`, where they will be).
"""
from __future__ import annotations

from datetime import datetime, timezone

from flask import current_app, has_app_context
from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from clinic_common.us_states import US_STATES

from bookings.api.instants import UtcInstant
from bookings.api.phone import PhoneNumber
from bookings.domain.patient_zones import ALL_ZONES, zone_refusal
from bookings.domain.sms_consent import LANGUAGES, consent_record

TIMEZONE = ("The patient's own IANA zone, one of their state's (GET /bookings/patient-zones; the page asks only "
            "where a state has several). Absent or null: their state's only zone, or for a state with several, "
            "only the clinic's clock is shown")


class Ticked(fields.Boolean):
    """Consent is a JSON true or false, nothing a lenient parser reads as yes ("on", 1, "y")."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value is True or value is False:
            return value
        raise ValidationError("Must be true or false.")


class PatientSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.Email(required=True, validate=validate.Length(max=254))
    phone = PhoneNumber(required=True)
    language = fields.String(required=True, validate=validate.OneOf(["en", "es"]))
    state = fields.String(required=True, validate=validate.OneOf(sorted(US_STATES)),
                          metadata={"description": "Two-letter US state the patient will be in during the visit"})
    timezone = fields.String(allow_none=True, validate=validate.OneOf(ALL_ZONES),
                             metadata={"description": TIMEZONE})
    sms_consent = Ticked(load_default=False, metadata={
        "description": "true: the patient agreed to appointment texts in the words GET /bookings/sms-consent "
                       "serves (shown beside the phone). Absent or false: the booking is made, but no SMS is "
                       "ever sent to this patient"})

    @validates_schema
    def _zone_of_state(self, data, **_kw):
        refusal = zone_refusal(data.get("timezone"), data.get("state"))
        if refusal:
            raise ValidationError({"timezone": [refusal]})

    @post_load
    def _record_consent(self, data, **_kw):
        """A tick becomes the record of it now, in the wording this deployment serves. What was not given is
        not stored (a view shows it as null), so a patient who gives neither is stored as before."""
        if data.get("timezone") is None:
            data.pop("timezone", None)
        if data.pop("sms_consent", False):
            practice = current_app.config["CLINIC_SETTINGS"].practice_name if has_app_context() else ""
            data["sms_consent"] = consent_record(data["language"], datetime.now(timezone.utc), practice)
        return data


class SmsConsentSchema(Schema):
    given_at = UtcInstant(metadata={"format": "date-time"})
    wording_version = fields.String(metadata={"description": "The wording agreed to: GET /bookings/sms-consent "
                                                             "serves the current one's texts"})
    language = fields.String(metadata={"enum": list(LANGUAGES)})


class PatientViewSchema(PatientSchema):
    """The patient as a resource (and its events) shows them."""

    timezone = fields.String(allow_none=True, dump_default=None, metadata={"description": TIMEZONE})
    sms_consent = fields.Nested(SmsConsentSchema, allow_none=True, dump_default=None, metadata={
        "description": "null: no consent, so no SMS; else when the patient agreed to texts, in which wording "
                       "and language"})
