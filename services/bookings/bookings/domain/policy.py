"""The change policy and the staff guards: pure rules on times, no I/O.

- A patient (manage token) may cancel or move a visit only while it starts at least the cutoff
  (CANCEL_CUTOFF_HOURS) from now; later, the clinic is called (LateChange names its phone).
  Staff may still, and such a change is recorded as `late`.
- Staff check a patient in only on the visit's day, in the clinic's zone (NotVisitDay); they mark
  a visit completed or a no-show only once it has started (TooEarly).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bookings.domain.errors import LateChange, NotVisitDay, TooEarly

AFTER_START = ("complete", "no_show")


@dataclass(frozen=True)
class ChangePolicy:
    cancel_cutoff: timedelta = timedelta(hours=24)

    def late_before(self, now: datetime) -> datetime:
        """A visit starting before this instant is inside the cutoff: a change to it is late."""
        return now + self.cancel_cutoff

    def is_late(self, start: datetime, now: datetime) -> bool:
        return start < self.late_before(now)


def check_patient_change(policy: ChangePolicy, booking: dict, now: datetime) -> None:
    """LateChange when a patient's cancel or move of `booking` comes inside the cutoff."""
    if policy.is_late(booking["start"], now):
        raise late_change(policy, booking)


def late_change(policy: ChangePolicy, booking: dict, what: str = "this visit") -> LateChange:
    phone = (booking.get("location") or {}).get("phone")
    hours = _hours(policy.cancel_cutoff)
    call = f"please call the clinic at {phone}" if phone else "please call the clinic"
    return LateChange(f"Within {hours} hours of the visit, {what} cannot be cancelled or moved online; {call}.",
                      phone, hours)


def check_staff_action(action: str, booking: dict, now: datetime) -> None:
    """NotVisitDay / TooEarly when staff `action` does not fit the visit's time; other actions pass."""
    start = booking["start"]
    if action == "check_in":
        zone = ZoneInfo(booking["timezone"])
        day, today = start.astimezone(zone).date(), now.astimezone(zone).date()
        if day != today:
            raise NotVisitDay(f"A patient is checked in on the visit's day ({day.isoformat()}); "
                              f"today is {today.isoformat()} at the clinic.")
    elif action in AFTER_START and now < start:
        shown = start.astimezone(ZoneInfo(booking["timezone"])).isoformat()
        done = "marked completed" if action == "complete" else "marked a no-show"
        raise TooEarly(f"A visit is {done} only after it starts ({shown}).")


def _hours(cutoff: timedelta) -> int | float:
    hours = cutoff.total_seconds() / 3600
    return int(hours) if hours == int(hours) else hours
