"""When reminders are due, and what a booking event does to the reminders already scheduled.

Offsets that are whole days are calendar days in the location's zone: the "24 h" reminder of a
9:00 visit goes out at 9:00 the day before, also when a DST change lies between (elapsed
hours would send it at 8:00 or 10:00 local). Other offsets are elapsed hours.

Each reminder is open from its due time until the next closer reminder is due (the last one
until the visit starts): a reminder that could not go out in its window is skipped rather
than sent on top of the next one, so a worker that was down never fires a burst.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from notifications.domain.appointment import Appointment

SCHEDULED, SENDING, FIRED, DROPPED, SKIPPED = "scheduled", "sending", "fired", "dropped", "skipped"
GOES_OUT = (SENDING, FIRED)  # claimed or done: never re-armed for the same due time


@dataclass(frozen=True)
class ReminderSlot:
    offset_hours: float
    due_at: datetime  # UTC
    until: datetime  # UTC: past this, the reminder is pointless

    @property
    def label(self) -> str:
        return offset_label(self.offset_hours)


def offset_label(offset_hours: float) -> str:
    return f"{round(offset_hours * 60)}m"


def due_time(start: datetime, offset_hours: float) -> datetime:
    """`start` is aware in the location's zone; the answer is UTC."""
    if offset_hours % 24 == 0:
        local = start.replace(tzinfo=None) - timedelta(days=offset_hours // 24)
        return local.replace(tzinfo=start.tzinfo).astimezone(timezone.utc)
    # In UTC: arithmetic on a zone-aware datetime is wall-clock arithmetic in Python.
    return start.astimezone(timezone.utc) - timedelta(hours=offset_hours)


def reminder_slots(start: datetime, offsets_hours) -> list[ReminderSlot]:
    """One slot per offset, furthest first; each open until the next is due, the last until the start."""
    ordered = sorted(set(offsets_hours), reverse=True)
    dues = [due_time(start, offset) for offset in ordered]
    ends = dues[1:] + [start.astimezone(timezone.utc)]
    return [ReminderSlot(o, d, max(d, e)) for o, d, e in zip(ordered, dues, ends)]


def reminder_id(booking_id: str, slot: ReminderSlot) -> str:
    return f"{booking_id}:{slot.label}"


def next_state(current: dict | None, appt: Appointment, slot: ReminderSlot, event_id: str,
               now: datetime) -> dict | None:
    """The reminder's fields after this booking event, or None when the event changes nothing.

    Stale events (an older booking version than the one stored) change nothing, so events
    that arrive out of order or twice cannot resurrect a dropped reminder or move it back.
    """
    if current is not None and isinstance(current.get("version"), int) and current["version"] >= appt.version:
        return None
    fields = {"booking_id": appt.booking_id, "offset_hours": slot.offset_hours, "version": appt.version,
              "start": appt.start.astimezone(timezone.utc), "due_at": slot.due_at, "until": slot.until}
    if appt.status != "confirmed":
        return {**fields, "status": DROPPED}
    if current is not None and current.get("due_at") == slot.due_at and current.get("status") in GOES_OUT:
        return {**fields, "status": current["status"], "armed_by": current.get("armed_by")}
    if slot.due_at <= now:
        # Already due when (re)booked: the confirmation or change notice going out now says it all.
        return {**fields, "status": SKIPPED, "armed_by": event_id}
    return {**fields, "status": SCHEDULED, "armed_by": event_id}


def skip_reason(appointment_start: datetime | None, now: datetime, still_going_out: bool) -> str:
    """Why a reminder about to be sent must not go out after all ('' when it goes).

    Checked again just before sending, because a cancellation or a move may have been handled
    since the reminder fired: `still_going_out` is the store's answer for its due time.
    """
    if appointment_start is not None and appointment_start <= now:
        return "the appointment had already started"
    if not still_going_out:
        return "the appointment was cancelled or moved before the reminder went out"
    return ""


def firing_verdict(reminder: dict, now: datetime) -> str:
    """For a claimed reminder: FIRED when it should go out now, SKIPPED when its window has passed."""
    return FIRED if reminder["due_at"] <= now < reminder["until"] else SKIPPED
