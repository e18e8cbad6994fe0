"""What an appointment request is: a patient's "please call me" form, its rules, its life and its view.

open -> booked (staff made a booking from it) | closed (staff ended it without one). Only an open
request changes. The request names a visit type and where and when the patient would like it;
whether those ids exist is asked of the locations service (adapters/catalog_client.py) and judged here.
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from bookings.domain.errors import RequestInvalid, RequestNotOpen

OPEN, BOOKED, CLOSED = "open", "booked", "closed"
STATUSES = (OPEN, BOOKED, CLOSED)
IN_PERSON, TELEHEALTH = "in_person", "telehealth"
MODALITIES = (IN_PERSON, TELEHEALTH)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TIMES = ("morning", "afternoon", "evening")
TELEHEALTH_LOCATION = "telehealth"  # the practice offers telehealth through this location (API.md)
MAX_NOTES, MAX_LOCATIONS, MAX_REASON = 2000, 10, 500
CREATED, BOOKED_EVENT, CLOSED_EVENT = ("appointment_request.created", "appointment_request.booked",
                                       "appointment_request.closed")
REQUEST_ID = re.compile(r"^[0-9a-f]{32}$")


def new_request_id() -> str:
    return uuid.uuid4().hex


def is_request_id(value: str) -> bool:
    return bool(REQUEST_ID.match(value or ""))


def _in_order(chosen: list[str], order: tuple[str, ...]) -> list[str]:
    """Each choice once, in the natural order (mon..sun, morning..evening)."""
    return [item for item in order if item in set(chosen)]


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def request_document(body: dict, request_id: str) -> dict:
    """The stored form of a new request, from the schema-parsed body; RequestInvalid when the fields disagree."""
    modality = body["modality"]
    location_ids = _unique(body.get("location_ids") or [])
    if not location_ids:
        if modality == IN_PERSON:
            raise RequestInvalid("Name at least one location for an in-person visit.",
                                {"location_ids": ["at least one location for an in-person visit"]})
        location_ids = [TELEHEALTH_LOCATION]
    return {
        "_id": request_id,
        "status": OPEN,
        "patient": dict(body["patient"]),
        "service_id": body["service_id"],
        "modality": modality,
        "location_ids": location_ids,
        "preferred_days": _in_order(body.get("preferred_days") or [], DAYS),
        "preferred_times": _in_order(body.get("preferred_times") or [], TIMES),
        "notes": body.get("notes"),
        "booking_id": None,
        "close_reason": None,
    }


@dataclass(frozen=True)
class Offering:
    """A visit type or a location as the practice's catalog lists it (adapters/catalog_client.py)."""

    id: str
    active: bool
    modalities: tuple[str, ...]


def catalog_errors(doc: dict, service: Offering | None, locations: dict[str, Offering | None]) -> dict[str, list[str]]:
    """What the practice's catalog says against the request: unknown, inactive, or not offering the modality."""
    errors: dict[str, list[str]] = {}
    modality = doc["modality"]
    if service is None or not service.active:
        errors["service_id"] = ["no such service"]
    elif modality not in service.modalities:
        errors["service_id"] = [f"is not offered as {modality}"]
    for location_id in doc["location_ids"]:
        location = locations.get(location_id)
        if location is None or not location.active:
            errors.setdefault("location_ids", []).append(f"{location_id}: no such location")
        elif modality not in location.modalities:
            errors.setdefault("location_ids", []).append(f"{location_id}: does not offer {modality}")
    return errors


def check_catalog(doc: dict, service: Offering | None, locations: dict[str, Offering | None]) -> None:
    errors = catalog_errors(doc, service, locations)
    if errors:
        raise RequestInvalid("The request names a visit type or location the practice does not offer.", errors)


def _require_open(current: dict, done: str) -> None:
    if current["status"] != OPEN:
        raise RequestNotOpen(f"A {current['status']} appointment request cannot be {done}.")


def require_open(current: dict) -> dict:
    """The request, if staff may still act on it; RequestNotOpen when it was already booked or closed."""
    _require_open(current, "booked")
    return current


def booked(current: dict, booking_id: str) -> dict:
    _require_open(current, "booked")
    return {**current, "status": BOOKED, "booking_id": booking_id}


def closed(current: dict, reason: str | None) -> dict:
    _require_open(current, "closed")
    return {**current, "status": CLOSED, "close_reason": reason}


def booking_request(current: dict, choice: dict) -> dict:
    """What bookings.operations.book needs: the request's patient, visit type and notes, staff's slot."""
    return {"service_id": current["service_id"], "provider_id": choice["provider_id"],
            "location_id": choice["location_id"], "start": choice["start"],
            "patient": dict(current["patient"]), "notes": current.get("notes")}


# What appointment_request.created leaves out: the free-text notes (it keeps the patient, whom
# notifications writes to). What .booked / .closed carry: no consumer of ours needs more than what
# happened to which request, so no patient details and no free text travel with them.
CREATED_EVENT_OMITS = ("notes",)
OUTCOME_FIELDS = ("id", "status", "booking_id", "service_id", "modality", "location_ids", "created_at", "updated_at")


def stored_precision(moment: datetime) -> datetime:
    """Milliseconds, as the datastore keeps them: the 201, the event and every later read agree."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)
