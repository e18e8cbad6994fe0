"""Which notifications an event calls for, and how a record looks to staff and outside consumers. Pure."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from notifications.domain.appointment import language_of
from notifications.domain.careplan import told_with_plan
from notifications.domain.disruption import nothing_to_tell

KIND_BY_EVENT = {
    "booking.requested": "request_received",
    "booking.confirmed": "confirmation",
    "booking.rescheduled": "reschedule",
    "booking.cancelled": "cancellation",
    "booking.disrupted": "booking_disrupted",
    "appointment_request.created": "request_received",
    "series.created": "series_confirmation",
    "series.cancelled": "series_cancellation",
    "visit.booked": "visit_confirmation",
    "visit.cancelled": "visit_cancellation",
    "waitlist.joined": "waitlist_joined",
    "waitlist.offered": "waitlist_offer",
    "waitlist.expired": "waitlist_expired",
}
# What staff and consumers see: a claimed record is still pending until it is sent or given up on.
PUBLIC_STATUS = {"pending": "pending", "sending": "pending", "sent": "sent", "failed": "failed", "skipped": "skipped"}
PUBLIC_FIELDS = ("booking_id", "appointment_request_id", "event_id", "kind", "channel", "language", "attempts",
                 "last_error")


@dataclass(frozen=True)
class Planned:
    kind: str
    channel: str
    recipient: str
    language: str


def recipients(patient: dict) -> list[tuple[str, str]]:
    """(channel, address) for every channel the patient gave us an address for."""
    found = [("email", patient.get("email")), ("sms", patient.get("phone"))]
    return [(channel, address) for channel, address in found if isinstance(address, str) and address]


def plan_notifications(event_type: str, data: dict) -> list[Planned]:
    """One notification per channel the patient can be reached on; none for events patients need not hear,
    nor for a booking's news that its series' or visit's one message tells (domain/careplan.py)."""
    kind = KIND_BY_EVENT.get(event_type)
    patient = data.get("patient") if isinstance(data.get("patient"), dict) else {}
    if kind is None or told_with_plan(event_type, data) or nothing_to_tell(event_type, data):
        return []
    language = language_of(patient)
    return [Planned(kind, channel, address, language) for channel, address in recipients(patient)]


def mask_recipient(channel: str, recipient: str) -> str:
    """Enough for staff to recognise an address, not enough to read it out."""
    if channel == "email" and "@" in recipient:
        local, _, domain = recipient.partition("@")
        return f"{local[:1]}***@{domain}"
    return f"***{recipient[-4:]}" if len(recipient) > 4 else "***"


def _iso(value) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else value


def public_view(doc: dict) -> dict:
    """The record as the delivery log and notification.* events show it: no body, address masked."""
    view = {"id": doc["_id"], **{key: doc.get(key) for key in PUBLIC_FIELDS}}
    view["status"] = PUBLIC_STATUS.get(doc.get("status"), "pending")
    view["recipient"] = mask_recipient(doc.get("channel", ""), doc.get("recipient") or "")
    view["sent_at"] = _iso(doc.get("sent_at"))
    view["created_at"] = _iso(doc.get("created_at"))
    if doc.get("waitlist_id"):  # a waitlist message's entry (only those records carry it)
        view["waitlist_id"] = doc["waitlist_id"]
    if doc.get("resent_from"):  # a staff resend (domain/resend.py): the record it sends again
        view["resent_from"] = doc["resent_from"]
    return view
