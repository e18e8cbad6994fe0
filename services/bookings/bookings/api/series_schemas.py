"""Request and response shapes of the series routes; the series view is also what series.* events carry."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, post_dump, pre_dump, validate, validates_schema

from clinic_common.limits import supported_date
from clinic_common.us_states import US_STATES

from bookings.api.instants import LocalInstant, UtcInstant
from bookings.api.schemas import BookingSchema, PatientSchema, PatientViewSchema, Slot, SlotChoiceSchema, Snapshot
from bookings.domain.lifecycle import STATUSES as BOOKING_STATUSES
from bookings.domain.series import ALL, AVAILABLE, EVERY_WEEKS, FREE, CONFLICT, MAX_OCCURRENCES, REASONS, STATUSES


class SeriesRequestSchema(SlotChoiceSchema):
    start = fields.AwareDateTime(required=True, format="iso", validate=supported_date,
                                 metadata={"description": "The first visit", "example": "2026-12-07T10:00:00-06:00"})
    every_weeks = fields.Integer(required=True, strict=True, validate=validate.OneOf(EVERY_WEEKS))
    count = fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_OCCURRENCES),
                           metadata={"description": "How many visits; give this or `until`"})
    until = fields.Date(validate=supported_date,
                        metadata={"description": "The last possible date (clinic's calendar); give this or `count`"})
    patient_state = fields.String(validate=validate.OneOf(sorted(US_STATES)),
                                  metadata={"description": "Where the patient will be (telehealth licensure)"})

    @validates_schema
    def _count_or_until(self, data, **_kw):
        if ("count" in data) == ("until" in data):
            raise ValidationError("give exactly one of them", "count")
        if "until" in data and "start" in data and data["until"] < data["start"].date():
            raise ValidationError("must be on or after the first visit's date", "until")


class SeriesCreateSchema(SeriesRequestSchema):
    patient = fields.Nested(PatientSchema, required=True)
    notes = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    accept = fields.String(load_default=ALL, validate=validate.OneOf([ALL, AVAILABLE]),
                           metadata={"description": "all: every occurrence or none; available: the free ones"})

    @validates_schema
    def _one_state(self, data, **_kw):
        if "patient_state" in data and "patient" in data and data["patient_state"] != data["patient"]["state"]:
            raise ValidationError("must be the patient's state, when given", "patient_state")


class OccurrenceSchema(Schema):
    """One occurrence of a preview: its times in the clinic's zone, and for a conflict why and what instead."""

    start = fields.AwareDateTime(format="iso")
    end = fields.AwareDateTime(format="iso")
    status = fields.String(metadata={"enum": [FREE, CONFLICT]})
    reason = fields.String(metadata={"enum": list(REASONS)})
    alternatives = fields.List(fields.Nested(Slot))

    @post_dump
    def _only_for_conflicts(self, data, **_kw):
        if data.get("reason") is None:
            data.pop("reason", None)
            data.pop("alternatives", None)
        return data


class SeriesPreview(Schema):
    occurrences = fields.List(fields.Nested(OccurrenceSchema))


class SeriesOccurrenceSchema(Schema):
    booking_id = fields.String()
    start = LocalInstant(metadata={"format": "date-time"})
    end = LocalInstant(metadata={"format": "date-time"})
    status = fields.String(metadata={"enum": list(BOOKING_STATUSES)})
    version = fields.Integer(metadata={"description": "Its booking's version: the SEQUENCE of its calendar event"})


class SeriesSchema(Schema):
    """A series as the API shows it and series.* events carry it: never the token hash, never notes."""

    id = fields.String(attribute="_id")
    status = fields.String(metadata={"enum": list(STATUSES)})
    accept = fields.String(metadata={"enum": [ALL, AVAILABLE]})
    service_id = fields.String()
    provider_id = fields.String()
    location_id = fields.String()
    modality = fields.String()
    every_weeks = fields.Integer()
    timezone = fields.String()
    patient = fields.Nested(PatientViewSchema)
    service = fields.Nested(Snapshot)
    provider = fields.Nested(Snapshot)
    location = fields.Nested(Snapshot)
    occurrences = fields.List(fields.Nested(SeriesOccurrenceSchema),
                              metadata={"description": "The booked occurrences, each as its booking stands"})
    cancelled_from = LocalInstant(allow_none=True, metadata={"format": "date-time"})
    version = fields.Integer()
    created_at = UtcInstant(metadata={"format": "date-time"})
    updated_at = UtcInstant(metadata={"format": "date-time"})

    @pre_dump
    def _zone_for_occurrences(self, series, **_kw):
        # each occurrence's times are shown in the series' zone, as its bookings' are
        return {**series, "occurrences": [{**o, "timezone": series["timezone"]} for o in series["occurrences"]]}


class SeriesCreatedSchema(SeriesSchema):
    manage_token = fields.String(metadata={"description": "Shown once; X-Manage-Token for the series and each visit"})
    bookings = fields.List(fields.Nested(BookingSchema))
    skipped = fields.List(fields.Nested(OccurrenceSchema),
                          metadata={"description": "accept=available: the occurrences that were not free"})


class SeriesCancelledSchema(SeriesSchema):
    late_remaining = fields.List(fields.Nested(SeriesOccurrenceSchema), metadata={
        "description": "A patient's cancel: the visits it covered that start inside CANCEL_CUTOFF_HOURS and so stay "
                       "booked (the clinic, location.phone, can still cancel them); staff's: always empty"})

    @pre_dump
    def _zone_for_late(self, series, **_kw):
        return {**series, "late_remaining": [{**o, "timezone": series["timezone"]}
                                             for o in series.get("late_remaining", [])]}


class SeriesCancelSchema(Schema):
    from_ = fields.AwareDateTime(data_key="from", format="iso", validate=supported_date,
                                 metadata={"description": "Cancel the occurrences starting at or after this; "
                                                          "default: every future one"})
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))


_SERIES = SeriesSchema()


def series_view(doc: dict) -> dict:
    return _SERIES.dump(doc)


def series_event(doc: dict, _event_type: str) -> dict:
    """series.created / series.cancelled: the view (patient details for messages; no notes, no token hash)."""
    return _SERIES.dump(doc)
