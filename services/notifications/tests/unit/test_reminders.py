"""When reminders are due (wall-clock days, elapsed hours) across DST changes in both directions,
and what each booking event does to a stored reminder."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from notifications.domain.appointment import appointment_from
from notifications.domain.reminders import (
    DROPPED, FIRED, SCHEDULED, SENDING, SKIPPED, due_time, firing_verdict, next_state, reminder_slots)
from testsupport.notifications import booking_data, utc

CHICAGO, NEW_YORK = ZoneInfo("America/Chicago"), ZoneInfo("America/New_York")


@pytest.mark.parametrize("start, offset, due", [
    # Chicago, fall back (Sun 1 Nov 2026 02:00 CDT -> 01:00 CST): the day before keeps 9:00 local.
    (datetime(2026, 11, 1, 9, 0, tzinfo=CHICAGO), 24, utc(2026, 10, 31, 14, 0)),
    (datetime(2026, 11, 1, 9, 0, tzinfo=CHICAGO), 2, utc(2026, 11, 1, 13, 0)),
    (datetime(2026, 11, 1, 3, 0, tzinfo=CHICAGO), 2, utc(2026, 11, 1, 7, 0)),  # 01:00 CST, the second 1 o'clock
    # Chicago, spring forward (Sun 8 Mar 2026 02:00 CST -> 03:00 CDT).
    (datetime(2026, 3, 9, 9, 0, tzinfo=CHICAGO), 24, utc(2026, 3, 8, 14, 0)),
    (datetime(2026, 3, 8, 9, 0, tzinfo=CHICAGO), 24, utc(2026, 3, 7, 15, 0)),
    (datetime(2026, 3, 8, 4, 0, tzinfo=CHICAGO), 2, utc(2026, 3, 8, 7, 0)),  # 01:00 CST: 2 elapsed hours
    # New York, both directions; 48 h is two calendar days.
    (datetime(2026, 11, 2, 10, 0, tzinfo=NEW_YORK), 48, utc(2026, 10, 31, 14, 0)),
    (datetime(2026, 3, 9, 10, 0, tzinfo=NEW_YORK), 48, utc(2026, 3, 7, 15, 0)),
    (datetime(2026, 7, 1, 10, 0, tzinfo=NEW_YORK), 0.5, utc(2026, 7, 1, 13, 30)),
])
def test_due_times_keep_local_wall_time_for_whole_days_and_elapsed_time_otherwise(start, offset, due):
    assert due_time(start, offset) == due


def test_each_reminder_is_open_until_the_next_one_is_due():
    start = datetime(2026, 12, 7, 9, 0, tzinfo=CHICAGO)
    first, second = reminder_slots(start, [2, 24, 2])
    assert (first.offset_hours, first.due_at, first.until) == (24, utc(2026, 12, 6, 15), utc(2026, 12, 7, 13))
    assert (second.offset_hours, second.due_at, second.until) == (2, utc(2026, 12, 7, 13), utc(2026, 12, 7, 15))
    assert (first.label, second.label) == ("1440m", "120m")


def appt(status="confirmed", version=1, start="2026-12-07T09:00:00-06:00"):
    return appointment_from(booking_data("b1", status=status, version=version, start=start), "")


SLOT_24H = reminder_slots(datetime(2026, 12, 7, 9, 0, tzinfo=CHICAGO), [24])[0]
NOW = utc(2026, 12, 1, 12, 0)
V1, V2 = 1, 2  # booking versions


@pytest.mark.parametrize("current, booking, expected_status", [
    (None, appt(), SCHEDULED),
    (None, appt(status="requested"), DROPPED),
    (None, appt(status="cancelled"), DROPPED),  # a cancel that overtook the confirmation still wins
    ({"version": V1, "status": SCHEDULED, "due_at": SLOT_24H.due_at}, appt(version=V2, status="cancelled"), DROPPED),
    ({"version": V2, "status": DROPPED}, appt(), None),  # older event: changes nothing
    ({"version": V1, "status": SCHEDULED}, appt(), None),  # the same event again
    ({"version": V1, "status": FIRED, "due_at": SLOT_24H.due_at, "armed_by": "e0"},
     appt(version=V2), FIRED),  # a change that keeps the time: not sent again
])
def test_what_a_booking_event_does_to_a_reminder(current, booking, expected_status):
    state = next_state(current, booking, SLOT_24H, "e1", NOW)
    assert (state or {}).get("status") == expected_status


def test_a_reminder_already_due_when_booked_is_skipped():
    late = utc(2026, 12, 6, 20, 0)  # after the 24 h reminder was due
    assert next_state(None, appt(), SLOT_24H, "e1", late)["status"] == SKIPPED


def test_a_kept_reminder_keeps_the_event_that_armed_it():
    current = {"version": V1, "status": SENDING, "due_at": SLOT_24H.due_at, "armed_by": "e0"}
    assert next_state(current, appt(version=V2), SLOT_24H, "e1", NOW)["armed_by"] == "e0"


@pytest.mark.parametrize("now, verdict", [
    (utc(2026, 12, 6, 15, 0), FIRED),
    (utc(2026, 12, 7, 12, 59), FIRED),
    (utc(2026, 12, 7, 13, 0), SKIPPED),  # the next reminder is due: this one is too late
])
def test_a_claimed_reminder_fires_only_inside_its_window(now, verdict):
    day_before, _ = reminder_slots(datetime(2026, 12, 7, 9, 0, tzinfo=CHICAGO), [24, 2])
    assert firing_verdict({"due_at": day_before.due_at, "until": day_before.until}, now) == verdict
