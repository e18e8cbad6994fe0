"""What a booking is: its stored form, built from the request and the locations answer, and its view.

Times are stored in UTC and shown in the location's zone with its offset. A booking keeps a
snapshot of the visit type, provider and location it was made for, so its events tell the
patient the truth even if the practice's records change later.
"""
from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from bookings.domain.lifecycle import CONFIRMED, REQUESTED
from bookings.domain.slots import Service, Span, blocked_span

BOOKING_ID = re.compile(r"^[0-9a-f]{32}$")
HIDDEN_FIELDS = ("_id", "outbox", "manage_token_hash", "blocked_until", "slot_rev", "timezone")


def new_booking_id() -> str:
    return uuid.uuid4().hex


def is_booking_id(value: str) -> bool:
    return bool(BOOKING_ID.match(value or ""))


def service_of(answer_service: dict) -> Service:
    return Service(timedelta(minutes=answer_service["duration_minutes"]),
                   timedelta(minutes=answer_service["buffer_minutes"]))


def windows_of(answer: dict, provider_id: str) -> list[Span]:
    for provider in answer["providers"]:
        if provider["id"] == provider_id:
            return [Span(datetime.fromisoformat(w["start"]), datetime.fromisoformat(w["end"])) for w in provider["windows"]]
    return []


def provider_of(answer: dict, provider_id: str) -> dict | None:
    return next((p for p in answer["providers"] if p["id"] == provider_id), None)


def slot_fields(start: datetime, answer: dict, provider_id: str) -> dict:
    """The fields that place a booking in time and with whom (set at booking and at reschedule)."""
    service = service_of(answer["service"])
    provider = provider_of(answer, provider_id)
    return {"provider_id": provider_id, "start": start, "end": start + service.duration,
            "blocked_until": blocked_span(start, service).end,
            "provider": {"name": provider["name"], "credentials": provider["credentials"]}}


def booking_document(request: dict, answer: dict, *, booking_id: str, token_hash: str) -> dict:
    location, service = answer["location"], answer["service"]
    start = request["start"].astimezone(timezone.utc)
    return {
        "_id": booking_id,
        "status": REQUESTED if service["requires_confirmation"] else CONFIRMED,
        "service_id": service["id"], "location_id": location["id"], "modality": answer["modality"],
        **slot_fields(start, answer, request["provider_id"]),
        "slot_rev": 1,
        "timezone": location["timezone"],
        "service": {"name": service["name"], "duration_minutes": service["duration_minutes"],
                    "buffer_minutes": service["buffer_minutes"]},
        "location": {"name": location["name"], "address": location.get("address"), "phone": location.get("phone"),
                     "timezone": location["timezone"]},
        "patient": dict(request["patient"]),
        "notes": request.get("notes"),
        "cancel_reason": None,
        "manage_token_hash": token_hash,
    }


def blocked(booking: dict) -> Span:
    return Span(booking["start"], booking["blocked_until"])


def public_view(booking: dict) -> dict:
    """The booking as the API and its events show it (JSON-ready; never the token hash)."""
    zone = ZoneInfo(booking["timezone"])
    view = {k: v for k, v in booking.items() if k not in HIDDEN_FIELDS}
    view["id"] = booking["_id"]
    view["start"] = booking["start"].astimezone(zone).isoformat()
    view["end"] = booking["end"].astimezone(zone).isoformat()
    for stamp in ("created_at", "updated_at"):
        if isinstance(view.get(stamp), datetime):
            view[stamp] = view[stamp].astimezone(timezone.utc).isoformat()
    return view


def event_view(booking: dict, _event_type: str) -> dict:
    """What booking.* events carry: the public view without the free-text notes, which may hold
    clinical detail and which no consumer needs (messages never quote them)."""
    return {k: v for k, v in public_view(booking).items() if k != "notes"}
