"""What is kept with a notification: what its message needs, never free-text notes. Pure.

Notes are typed by patients and staff and may hold clinical detail no message needs; the records
live for as long as the delivery log does, so they do not carry them. A booking keeps only the
fields its messages use; an appointment request keeps everything but its notes.
"""
from __future__ import annotations

BOOKING_FIELDS = ("id", "status", "start", "end", "modality", "location", "service", "provider", "patient",
                  "cancel_reason", "updated_at", "version", "series_id", "visit_id", "patient_state", "disruption")
FREE_TEXT = ("notes",)


def booking_snapshot(data: dict) -> dict:
    """The booking as its messages (and later reminders) will render it."""
    return {key: data.get(key) for key in BOOKING_FIELDS if key in data}


def without_notes(data: dict) -> dict:
    """An appointment request's data, less its free text."""
    return {key: value for key, value in data.items() if key not in FREE_TEXT}
