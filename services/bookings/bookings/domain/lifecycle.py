"""A booking's life: which transitions staff and patients may make, and what each announces.

requested -> confirmed -> checked_in -> completed; cancelled and no_show end a booking.
Cancelling and rescheduling are open to the patient (manage token) and staff while the
visit has not started; the rest is staff work.
"""
from __future__ import annotations

from bookings.domain.errors import TransitionNotAllowed

REQUESTED, CONFIRMED, CHECKED_IN, COMPLETED = "requested", "confirmed", "checked_in", "completed"
CANCELLED, NO_SHOW = "cancelled", "no_show"
STATUSES = (REQUESTED, CONFIRMED, CHECKED_IN, COMPLETED, CANCELLED, NO_SHOW)
ACTIVE = (REQUESTED, CONFIRMED, CHECKED_IN)  # these hold their slot

# action -> (statuses it may start from, status it leads to, event type)
TRANSITIONS = {
    "confirm": ((REQUESTED,), CONFIRMED, "booking.confirmed"),
    "check_in": ((CONFIRMED,), CHECKED_IN, "booking.checked_in"),
    "complete": ((CHECKED_IN,), COMPLETED, "booking.completed"),
    "no_show": ((CONFIRMED,), NO_SHOW, "booking.no_show"),
    "cancel": ((REQUESTED, CONFIRMED), CANCELLED, "booking.cancelled"),
    "reschedule": ((REQUESTED, CONFIRMED), None, "booking.rescheduled"),
}


def next_status(action: str, status: str) -> str:
    """The status `action` leads to from `status`; TransitionNotAllowed when the booking's state does not allow it."""
    allowed_from, to, _ = TRANSITIONS[action]
    if status not in allowed_from:
        raise TransitionNotAllowed(f"A {status.replace('_', '-')} booking cannot be {_past(action)}.")
    return to or status


def event_type(action: str) -> str:
    return TRANSITIONS[action][2]


def frees_slot(status: str) -> bool:
    return status not in ACTIVE


def _past(action: str) -> str:
    return {"confirm": "confirmed", "check_in": "checked in", "complete": "completed", "no_show": "marked no-show",
            "cancel": "cancelled", "reschedule": "rescheduled"}[action]
