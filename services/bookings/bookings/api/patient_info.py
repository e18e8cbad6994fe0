"""What the booking page shows beside the patient's fields, served so it shows exactly what bookings
checks and stores: the SMS consent wording (the version a booking records) and the time zones of each
state (the page asks "which time zone?" where a state has several). Both public and cacheable."""
from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from bookings.domain.patient_zones import states_and_zones
from bookings.domain.sms_consent import wording

blp = Blueprint("patient_info", __name__, url_prefix="/api/v1/bookings", description="What the booking page asks")
# Deployment constants: they change only with a release or PRACTICE_NAME, so an hour's cache is safe.
CACHEABLE = {"Cache-Control": "public, max-age=3600"}


class Texts(Schema):
    en = fields.String()
    es = fields.String()


class SmsConsentWordingSchema(Schema):
    version = fields.String(metadata={"description": "What a booking records as `patient.sms_consent.wording_version`"})
    texts = fields.Nested(Texts, metadata={"description": "The sentence shown beside the consent box, per language"})


class ZoneSchema(Schema):
    id = fields.String(metadata={"description": "IANA zone: what `patient.timezone` takes",
                                 "example": "America/Chicago"})
    label = fields.Nested(Texts, metadata={"description": "How the page names it, e.g. Central (Chicago)"})


class StateZonesSchema(Schema):
    code = fields.String(metadata={"example": "TX"})
    name = fields.Nested(Texts)
    zones = fields.List(fields.Nested(ZoneSchema), metadata={
        "description": "The first is the one most of the state keeps; more than one: ask the patient"})


class PatientZonesSchema(Schema):
    states = fields.List(fields.Nested(StateZonesSchema))


@blp.route("/sms-consent")
class SmsConsent(MethodView):
    @blp.response(200, SmsConsentWordingSchema)
    def get(self):
        """The SMS consent wording the page shows beside the phone, in English and Spanish (public)

        A booking request whose `patient.sms_consent` is true records this version; without it no SMS is sent.
        """
        consent = wording(current_app.config["CLINIC_SETTINGS"].practice_name)
        return {"version": consent.version, "texts": consent.texts}, 200, CACHEABLE


@blp.route("/patient-zones")
class PatientZones(MethodView):
    @blp.response(200, PatientZonesSchema)
    def get(self):
        """Each state's names (English, Spanish) and the time zones a patient there may be in (public)"""
        return {"states": states_and_zones()}, 200, CACHEABLE
