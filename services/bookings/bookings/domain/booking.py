"""What a booking is: its stored form, built from the request and the provider's schedule, and its view.

Times are stored in UTC and shown in the location's zone with its offset. A booking keeps a
snapshot of the visit type, provider and location it was made for, so its events tell the
patient the truth even if the practice's records change later.
"""
from __future__ import annotations

import re
import uuid
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from bookings.domain.lifecycle import CONFIRMED, REQUESTED
from bookings.domain.schedule import Schedule
from bookings.domain.slots import Span, blocked_span

BOOKING_ID = re.compile(r"^[0-9a-f]{32}$")
# What booking.* events leave out of the booking's view: the free-text notes, which may hold
# clinical detail and which no consumer needs (messages never quote them). The events do carry the
# booking's version, so consumers apply its events in order (api/schemas.py BookingEventSchema).
EVENT_OMITS = ("notes",)


def new_booking_id() -> str:
    return uuid.uuid4().hex


def is_booking_id(value: str) -> bool:
    return bool(BOOKING_ID.match(value or ""))


def slot_fields(start: datetime, schedule: Schedule, provider_id: str) -> dict:
    """The fields that place a booking in time and with whom (set at booking and at reschedule)."""
    cadence = schedule.visit_type.cadence
    return {"provider_id": provider_id, "start": start, "end": start + cadence.duration,
            "blocked_until": blocked_span(start, cadence).end,
            "provider": schedule.provider(provider_id).snapshot()}


def booking_document(request: dict, schedule: Schedule, *, booking_id: str, token_hash: str) -> dict:
    location, visit_type = schedule.location, schedule.visit_type
    start = request["start"].astimezone(timezone.utc)
    return {
        "_id": booking_id,
        "status": REQUESTED if visit_type.requires_confirmation else CONFIRMED,
        "service_id": visit_type.id, "location_id": location.id, "modality": schedule.modality,
        **slot_fields(start, schedule, request["provider_id"]),
        "slot_rev": 1,
        "timezone": location.timezone,
        "service": visit_type.snapshot(),
        "location": location.snapshot(),
        "patient": dict(request["patient"]),
        "notes": request.get("notes"),
        "cancel_reason": None,
        "manage_token_hash": token_hash,
    }


def blocked(booking: dict) -> Span:
    return Span(booking["start"], booking["blocked_until"])


def shown_at(instant: datetime, zone: str) -> datetime:
    """An instant as patients and staff read it: in the location's zone, with its offset."""
    return instant.astimezone(ZoneInfo(zone))
