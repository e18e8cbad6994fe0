"""Which notifications an event calls for. Pure: the worker stores what this returns."""
from __future__ import annotations

from dataclasses import dataclass

KIND_BY_EVENT = {
    "booking.requested": "request_received",
    "booking.confirmed": "confirmation",
    "booking.rescheduled": "reschedule",
    "booking.cancelled": "cancellation",
    "appointment_request.created": "request_received",
}


@dataclass(frozen=True)
class Planned:
    kind: str
    channel: str
    recipient: str
    language: str


def plan_notifications(event_type: str, data: dict) -> list[Planned]:
    """One notification per channel the patient can be reached on; none for events patients need not hear."""
    kind = KIND_BY_EVENT.get(event_type)
    patient = data.get("patient") or {}
    if kind is None:
        return []
    language = patient.get("language") if patient.get("language") in ("en", "es") else "en"
    planned = []
    if patient.get("email"):
        planned.append(Planned(kind, "email", patient["email"], language))
    if patient.get("phone"):
        planned.append(Planned(kind, "sms", patient["phone"], language))
    return planned


def mask_recipient(channel: str, recipient: str) -> str:
    """Enough for staff to recognise an address, not enough to read it out."""
    if channel == "email" and "@" in recipient:
        local, _, domain = recipient.partition("@")
        return f"{local[:1]}***@{domain}"
    return f"***{recipient[-4:]}" if len(recipient) > 4 else "***"
