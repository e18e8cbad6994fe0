"""The change policy and the staff guards (domain/policy.py) as pure functions, table-driven, across DST."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bookings.domain.errors import LateChange, NotVisitDay, TooEarly
from bookings.domain.policy import ChangePolicy, check_patient_change, check_staff_action, late_change

UTC = timezone.utc
CHICAGO, NEW_YORK = ZoneInfo("America/Chicago"), ZoneInfo("America/New_York")
POLICY = ChangePolicy(timedelta(hours=24))
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def booking(start: datetime, zone: str = "America/Chicago", phone: str | None = "+18705550100") -> dict:
    return {"start": start.astimezone(UTC), "timezone": zone, "location": {"name": "Jonesboro", "phone": phone}}


@pytest.mark.parametrize("hours_ahead, late", [
    (48, False), (24, False),            # exactly the cutoff ahead: still the patient's to change
    (23.99, True), (1, True), (0, True),
    (-2, True),                          # already begun: late too
])
def test_a_change_is_late_inside_the_cutoff(hours_ahead, late):
    start = NOW + timedelta(hours=hours_ahead)
    assert POLICY.is_late(start, NOW) is late
    if late:
        with pytest.raises(LateChange):
            check_patient_change(POLICY, booking(start), NOW)
    else:
        check_patient_change(POLICY, booking(start), NOW)


def test_a_late_change_names_the_clinics_phone_and_the_cutoff():
    refusal = late_change(POLICY, booking(NOW + timedelta(hours=3)))
    assert refusal.phone == "+18705550100" and "+18705550100" in refusal.detail and "24 hours" in refusal.detail
    assert refusal.fields == {"phone": "+18705550100", "cancel_cutoff_hours": 24}
    no_phone = late_change(ChangePolicy(timedelta(hours=1.5)), booking(NOW, phone=None))
    assert no_phone.phone is None and "call the clinic" in no_phone.detail and "1.5 hours" in no_phone.detail


def test_a_zero_cutoff_lets_a_patient_change_until_the_start():
    policy = ChangePolicy(timedelta(0))
    assert not policy.is_late(NOW + timedelta(minutes=1), NOW) and policy.is_late(NOW - timedelta(minutes=1), NOW)


def local(zone, *args) -> datetime:
    return datetime(*args, tzinfo=zone)


@pytest.mark.parametrize("zone, start, now, allowed", [
    # the visit's day in the clinic's zone, not in UTC: 18:00 Chicago is already tomorrow in UTC
    (CHICAGO, local(CHICAGO, 2026, 12, 7, 18), local(CHICAGO, 2026, 12, 7, 7, 30), True),
    (CHICAGO, local(CHICAGO, 2026, 12, 7, 9), local(CHICAGO, 2026, 12, 7, 23, 59), True),
    (CHICAGO, local(CHICAGO, 2026, 12, 7, 9), local(CHICAGO, 2026, 12, 6, 23, 59), False),   # the evening before
    (CHICAGO, local(CHICAGO, 2026, 12, 7, 9), local(CHICAGO, 2026, 12, 8, 0, 1), False),     # the day after
    (CHICAGO, local(CHICAGO, 2026, 12, 7, 9), datetime(2026, 12, 8, 3, 0, tzinfo=UTC), True),  # Dec 8 UTC, Dec 7 here
    # spring forward (Sunday 8 March 2026): a 23-hour day
    (CHICAGO, local(CHICAGO, 2026, 3, 8, 9), local(CHICAGO, 2026, 3, 8, 0, 30), True),
    (CHICAGO, local(CHICAGO, 2026, 3, 8, 9), local(CHICAGO, 2026, 3, 8, 23, 30), True),
    (CHICAGO, local(CHICAGO, 2026, 3, 9, 9), local(CHICAGO, 2026, 3, 8, 23, 30), False),
    (NEW_YORK, local(NEW_YORK, 2026, 3, 8, 10), local(NEW_YORK, 2026, 3, 8, 0, 15), True),
    (NEW_YORK, local(NEW_YORK, 2026, 3, 8, 10), local(NEW_YORK, 2026, 3, 7, 23, 45), False),
    # fall back (Sunday 1 November 2026): a 25-hour day; its last hour is still that day
    (CHICAGO, local(CHICAGO, 2026, 11, 1, 9), local(CHICAGO, 2026, 11, 1, 23, 30), True),
    (CHICAGO, local(CHICAGO, 2026, 11, 1, 9), datetime(2026, 11, 2, 5, 59, tzinfo=UTC), True),   # 23:59 CST
    (CHICAGO, local(CHICAGO, 2026, 11, 1, 9), datetime(2026, 11, 2, 6, 0, tzinfo=UTC), False),   # midnight
    (NEW_YORK, local(NEW_YORK, 2026, 11, 1, 10), datetime(2026, 11, 1, 4, 30, tzinfo=UTC), True),  # 00:30 EDT
    (NEW_YORK, local(NEW_YORK, 2026, 11, 1, 10), datetime(2026, 11, 1, 3, 30, tzinfo=UTC), False),  # 23:30 EDT before
])
def test_check_in_is_on_the_visits_day_in_the_clinics_zone(zone, start, now, allowed):
    visit = booking(start, zone.key)
    if allowed:
        check_staff_action("check_in", visit, now.astimezone(UTC))
    else:
        with pytest.raises(NotVisitDay):
            check_staff_action("check_in", visit, now.astimezone(UTC))


@pytest.mark.parametrize("action", ["complete", "no_show"])
@pytest.mark.parametrize("minutes_after_start, allowed", [(-60, False), (-1, False), (0, True), (5, True),
                                                          (60 * 24 * 3, True)])
def test_complete_and_no_show_come_only_once_the_visit_has_started(action, minutes_after_start, allowed):
    start = local(CHICAGO, 2026, 12, 7, 9).astimezone(UTC)
    now = start + timedelta(minutes=minutes_after_start)
    if allowed:
        check_staff_action(action, booking(start), now)
    else:
        with pytest.raises(TooEarly) as refused:
            check_staff_action(action, booking(start), now)
        assert "2026-12-07T09:00:00-06:00" in refused.value.detail


@pytest.mark.parametrize("action", ["confirm", "cancel", "reschedule"])
def test_other_actions_have_no_time_guard(action):
    check_staff_action(action, booking(NOW + timedelta(days=30)), NOW)
