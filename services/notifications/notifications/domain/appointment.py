"""What a booking event tells us about the visit, checked once so the rest of the code can trust it.

Events come from another service; a malformed one must be parked with a reason, never crash
the worker or be half-handled. `appointment_from` is that check.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from clinic_common.us_states import patient_zone

# Every event that changes a booking (and so its version) is known here, even one that tells the patient
# nothing (checked in, a disruption cleared): an unknown one would be parked and leave a gap in the versions
# that holds the booking's next message up for ORDER_WAIT_S.
BOOKING_EVENTS = ("booking.requested", "booking.confirmed", "booking.rescheduled", "booking.cancelled",
                  "booking.disrupted", "booking.disruption_cleared", "booking.checked_in", "booking.completed",
                  "booking.no_show")
REQUEST_EVENTS = ("appointment_request.created",)
SERIES_EVENTS = ("series.created", "series.cancelled")
VISIT_EVENTS = ("visit.booked", "visit.cancelled")
PLAN_EVENTS = SERIES_EVENTS + VISIT_EVENTS  # care plans: several bookings told about in one message
WAITLIST_EVENTS = ("waitlist.joined", "waitlist.offered", "waitlist.expired")  # domain/offer_link.py
KNOWN_EVENTS = BOOKING_EVENTS + REQUEST_EVENTS + PLAN_EVENTS + WAITLIST_EVENTS
MODALITIES = ("in_person", "telehealth")
LANGUAGES = ("en", "es")


class InvalidEvent(ValueError):
    """The event can never be handled as it is; the message says why (it goes to the parking queue)."""


@dataclass(frozen=True)
class Appointment:
    booking_id: str
    status: str
    start: datetime  # aware, in the location's zone
    end: datetime
    zone: ZoneInfo
    modality: str
    location: dict
    service_name: str
    provider_name: str
    patient: dict
    cancel_reason: str | None
    version: int  # the booking's version, raised by every change: orders events that arrive out of order
    series_id: str | None = None  # an occurrence of a weekly series
    visit_id: str | None = None  # a part of a combined visit
    patient_state: str = ""  # where the patient is during the visit (telehealth: the booking's patient_state)
    patient_zone: str | None = None  # their clock, when known (None: only the clinic's is shown)
    disruption: dict | None = None  # why the booking no longer fits, and the patient's options

    @property
    def language(self) -> str:
        return language_of(self.patient)


def language_of(patient: dict) -> str:
    return patient.get("language") if patient.get("language") in LANGUAGES else "en"


def parse_instant(value, field: str) -> datetime:
    if not isinstance(value, str):
        raise InvalidEvent(f"{field} must be an ISO 8601 string")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidEvent(f"{field} is not an ISO 8601 time") from None
    if parsed.tzinfo is None:
        raise InvalidEvent(f"{field} has no UTC offset")
    return parsed


def _zone(location) -> ZoneInfo:
    if not isinstance(location, dict) or not isinstance(location.get("timezone"), str):
        raise InvalidEvent("location.timezone is missing")
    try:
        return ZoneInfo(location["timezone"])
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidEvent("location.timezone is not an IANA zone") from None


def _name(snapshot, field: str, language: str) -> str:
    if snapshot is None:
        return ""
    if not isinstance(snapshot, dict):
        raise InvalidEvent(f"{field} must be an object")
    return display_name(snapshot, language)


def display_name(snapshot: dict | None, language: str) -> str:
    """A catalog entry's name in the patient's language (its `translations`, staff-edited), else its own."""
    snapshot = snapshot if isinstance(snapshot, dict) else {}
    translations = snapshot.get("translations") if isinstance(snapshot.get("translations"), dict) else {}
    translated = translations.get(language) if isinstance(translations.get(language), dict) else {}
    return str(translated.get("name") or snapshot.get("name") or "")


def patient_clock(data: dict) -> tuple[str, str | None]:
    """(the patient's state, their zone): a telehealth patient is where the booking's patient_state says;
    the zone is the one they chose when their state has several, else the state's only one."""
    patient = data.get("patient") if isinstance(data.get("patient"), dict) else {}
    state = data.get("patient_state") if data.get("modality") == "telehealth" else None
    state = str(state or patient.get("state") or "").upper()
    chosen = patient.get("timezone") if isinstance(patient.get("timezone"), str) else None
    return state, patient_zone(state, chosen)


def appointment_from(data: dict, occurred_at: str) -> Appointment:
    """The visit a booking event describes; InvalidEvent when a field we rely on is missing or wrong."""
    if not isinstance(data.get("id"), str) or not data["id"]:
        raise InvalidEvent("booking event without a booking id")
    if not isinstance(data.get("patient"), dict):
        raise InvalidEvent("booking event without a patient")
    if data.get("modality") not in MODALITIES:
        raise InvalidEvent("modality must be in_person or telehealth")
    zone = _zone(data.get("location"))
    start, end = parse_instant(data.get("start"), "start"), parse_instant(data.get("end"), "end")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidEvent("version must be a whole number from 1")
    language, (state, own_zone) = language_of(data["patient"]), patient_clock(data)
    return Appointment(
        booking_id=data["id"], status=str(data.get("status") or ""), start=start.astimezone(zone),
        end=end.astimezone(zone), zone=zone, modality=data["modality"], location=data["location"],
        service_name=_name(data.get("service"), "service", language),
        provider_name=_name(data.get("provider"), "provider", language),
        patient=data["patient"], cancel_reason=data.get("cancel_reason"), version=version,
        series_id=_optional_id(data.get("series_id")), visit_id=_optional_id(data.get("visit_id")),
        patient_state=state, patient_zone=own_zone,
        disruption=data["disruption"] if isinstance(data.get("disruption"), dict) else None)


def _optional_id(value) -> str | None:
    return value if isinstance(value, str) and value else None
