"""The .ics that travels with each email, so a patient's calendar follows the booking in place.

One UID per booking, whatever the message: a reschedule updates the event the confirmation
created, a cancellation removes it. SEQUENCE must grow with every change (RFC 5546): it is
the booking's version, which every change raises by one, so two changes within the same
second still differ, and an invitation built from a late event never outranks a newer one.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from icalendar import Calendar, Event, vCalAddress, vText

from notifications.domain.appointment import Appointment

PRODID = "-//Clinic Scheduling//Notifications//EN"
REQUEST, CANCEL, PUBLISH = "REQUEST", "CANCEL", "PUBLISH"
INVITE_METHOD = {"confirmation": REQUEST, "reschedule": REQUEST, "cancellation": CANCEL}  # message kind -> METHOD


def invite_method(kind: str, status: str) -> str | None:
    """The METHOD of the invitation an email of this kind carries; None when it carries none.

    A request moved before staff confirmed it is not in any calendar yet, so it gets no REQUEST;
    a cancellation always carries CANCEL, which removes the event wherever an earlier one put it.
    """
    method = INVITE_METHOD.get(kind)
    if method == REQUEST and status != "confirmed":
        return None
    return method


def calendar_uid(booking_id: str, domain: str) -> str:
    return f"booking-{booking_id}@{domain}"


@dataclass(frozen=True)
class Wording:
    """What a calendar event says about one visit (content.py words it in the patient's language)."""
    summary: str
    location: str
    description: str
    url: str = ""  # the link that manages the visit (none on a cancelled one)


def calendar_invite(appt: Appointment, *, cancel: bool, organizer: str, summary: str, location: str,
                    description: str, now: datetime, url: str = "") -> bytes:
    """METHOD:REQUEST (create or update) or METHOD:CANCEL, with the location's VTIMEZONE."""
    return _calendar(CANCEL if cancel else REQUEST,
                     [(appt, cancel, Wording(summary, location, description, url))], organizer, now)


def calendar_publish(visits: list[tuple[Appointment, Wording]], *, organizer: str, now: datetime) -> bytes:
    """Several visits in one file (a series, a combined visit): METHOD:PUBLISH, since an iTIP REQUEST or
    CANCEL is about one UID. Each visit keeps its booking's own UID and SEQUENCE, so a later message about
    one of them (moved, cancelled) updates exactly that event; a cancelled one is listed as CANCELLED."""
    return _calendar(PUBLISH, [(appt, appt.status == "cancelled", words) for appt, words in visits], organizer, now)


def _calendar(method: str, visits: list[tuple[Appointment, bool, Wording]], organizer: str, now: datetime) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    for appt, cancel, words in visits:
        cal.add_component(_event(appt, cancel, words, organizer, now))
    years = [appt.start.year for appt, _, _ in visits]
    cal.add_missing_timezones(first_date=date(min(years) - 1, 1, 1), last_date=date(max(years) + 2, 1, 1))
    return cal.to_ical()


def _event(appt: Appointment, cancel: bool, words: Wording, organizer: str, now: datetime) -> Event:
    event = Event()
    event.add("uid", calendar_uid(appt.booking_id, organizer.rpartition("@")[2] or "clinic.example"))
    event.add("sequence", appt.version)
    event.add("dtstamp", now.astimezone(timezone.utc))
    event.add("dtstart", appt.start)
    event.add("dtend", appt.end)
    event.add("summary", words.summary)
    event.add("location", words.location)
    event.add("description", words.description)
    if words.url:
        event.add("url", words.url)
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    event.add("organizer", _address(organizer, "CHAIR"))
    if appt.patient.get("email"):
        event.add("attendee", _address(appt.patient["email"], "REQ-PARTICIPANT", appt.patient.get("name")))
    return event


def _address(email: str, role: str, name: str | None = None) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["role"] = vText(role)
    if name:
        address.params["cn"] = vText(name)
    return address
