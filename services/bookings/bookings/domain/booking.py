"""A booking's states and what a new one looks like."""
from __future__ import annotations

import re
import uuid
from datetime import datetime, timezone

from clinic_common.events import Event

REQUESTED, CONFIRMED, CHECKED_IN, COMPLETED = "requested", "confirmed", "checked_in", "completed"
CANCELLED, NO_SHOW = "cancelled", "no_show"
ACTIVE_STATUSES = (REQUESTED, CONFIRMED, CHECKED_IN)
BOOKING_ID = re.compile(r"^[0-9a-f]{32}$")


def new_booking_id() -> str:
    return uuid.uuid4().hex


def is_booking_id(value: str) -> bool:
    return bool(BOOKING_ID.match(value or ""))


def open_booking(request: dict, *, booking_id: str, token_hash: str, now: datetime,
                 requires_confirmation: bool = False) -> dict:
    """The stored form of a newly accepted booking (times in UTC)."""
    return {
        "id": booking_id,
        "status": REQUESTED if requires_confirmation else CONFIRMED,
        "service_id": request["service_id"],
        "provider_id": request["provider_id"],
        "location_id": request["location_id"],
        "start": request["start"].astimezone(timezone.utc),
        "patient": dict(request["patient"]),
        "notes": request.get("notes"),
        "manage_token_hash": token_hash,
        "created_at": now,
        "updated_at": now,
    }


def public_view(booking: dict) -> dict:
    """The booking as the API and events show it: never the manage token or its hash."""
    view = {k: v for k, v in booking.items() if k not in ("manage_token_hash", "_id", "outbox")}
    view["id"] = booking.get("id") or booking.get("_id")
    return view


def status_event(booking: dict, request_id: str) -> Event:
    """booking.<status> carrying the booking as the API shows it (JSON-ready)."""
    return Event(type=f"booking.{booking['status']}", data=jsonable(public_view(booking)), request_id=request_id)


def jsonable(value):
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    return value
