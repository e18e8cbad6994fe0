"""Whether a booking still fits the schedule, and why not (domain/disruption.py), table-driven, across DST."""
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bookings.domain.disruption import (CLOSURE, HOURS, PROVIDER_INACTIVE, PROVIDER_SCHEDULE, SPECIAL_HOURS,
                                        ClinicDays, DayRule, Standing, disruption_of, disruption_record)
from bookings.domain.slots import Span

CHICAGO, NEW_YORK = "America/Chicago", "America/New_York"
NINE_TO_FIVE = ((time(9), time(17)),)


def at(zone: str, day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(zone)).astimezone(timezone.utc)


def visit(zone: str, day: date, hour: int, minutes: int = 50) -> Span:
    start = at(zone, day, hour)
    return Span(start, start + timedelta(minutes=minutes))


def clinic(zone: str = CHICAGO, *rules: DayRule, weekly=None) -> ClinicDays:
    hours = weekly if weekly is not None else {d: NINE_TO_FIVE for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    return ClinicDays(timezone=zone, weekly=hours, rules=rules)


def working(zone: str, day: date, opened: int = 9, closed: int = 17) -> Standing:
    return Standing(active=True, windows=(Span(at(zone, day, opened), at(zone, day, closed)),))


# DST days in both zones and both directions, and an ordinary day.
DAYS = [(CHICAGO, date(2026, 3, 8)), (CHICAGO, date(2026, 11, 1)), (NEW_YORK, date(2026, 3, 8)),
        (NEW_YORK, date(2026, 11, 1)), (CHICAGO, date(2026, 12, 7))]


@pytest.mark.parametrize("zone, day", DAYS)
def test_a_booking_that_still_fits_is_untouched(zone, day):
    assert disruption_of(visit(zone, day, 9), clinic(zone), working(zone, day)) is None
    assert disruption_of(visit(zone, day, 16, 60), clinic(zone), working(zone, day)) is None


@pytest.mark.parametrize("zone, day", DAYS)
def test_a_closure_over_the_visit_is_named(zone, day):
    closed = clinic(zone, DayRule(day, day, None, "Holiday"))
    found = disruption_of(visit(zone, day, 9), closed, Standing(active=True))
    assert found.reason == CLOSURE and day.isoformat() in found.detail and "Holiday" in found.detail


@pytest.mark.parametrize("zone, day", DAYS)
def test_special_hours_that_leave_the_visit_out(zone, day):
    short_day = clinic(zone, DayRule(day - timedelta(days=1), day, ((time(9), time(12)),), "Short day"))
    found = disruption_of(visit(zone, day, 14), short_day, working(zone, day, 9, 12))
    assert found.reason == SPECIAL_HOURS and "09:00-12:00" in found.detail and "14:00" in found.detail


@pytest.mark.parametrize("zone, day", DAYS)
def test_weekly_hours_that_leave_the_visit_out(zone, day):
    shorter = clinic(zone, weekly={d: ((time(9), time(13)),) for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")})
    found = disruption_of(visit(zone, day, 15), shorter, working(zone, day, 9, 13))
    assert found.reason == HOURS and "09:00-13:00" in found.detail


def test_a_weekday_without_hours_says_closed():
    day = date(2026, 12, 7)
    found = disruption_of(visit(CHICAGO, day, 9), clinic(CHICAGO, weekly={"tue": NINE_TO_FIVE}), Standing(True))
    assert found.reason == HOURS and "closed" in found.detail and "Mon" in found.detail


@pytest.mark.parametrize("zone, day", DAYS)
def test_the_providers_own_schedule(zone, day):
    found = disruption_of(visit(zone, day, 9), clinic(zone), working(zone, day, 13, 17))
    assert found.reason == PROVIDER_SCHEDULE


def test_an_inactive_provider_wins_over_everything():
    day = date(2026, 12, 7)
    closed = clinic(CHICAGO, DayRule(day, day, None, "Holiday"))
    assert disruption_of(visit(CHICAGO, day, 9), closed, Standing(active=False)).reason == PROVIDER_INACTIVE
    # even where the windows would still have it (a stale answer): inactive means no visits
    assert disruption_of(visit(CHICAGO, day, 9), clinic(), Standing(False, working(CHICAGO, day).windows)).reason \
        == PROVIDER_INACTIVE


def test_a_full_closure_wins_over_special_hours_and_special_hours_inside_are_the_providers_matter():
    day = date(2026, 12, 7)
    both = clinic(CHICAGO, DayRule(day, day, NINE_TO_FIVE, "Clinic day"), DayRule(day, day, None, "Storm"))
    assert disruption_of(visit(CHICAGO, day, 9), both, Standing(True)).reason == CLOSURE
    special = clinic(CHICAGO, DayRule(day, day, NINE_TO_FIVE, "Clinic day"))
    assert disruption_of(visit(CHICAGO, day, 9), special, Standing(True)).reason == PROVIDER_SCHEDULE


def test_the_date_is_the_clinics_not_utcs():
    """A 7 PM Chicago visit is the next day in UTC: a closure of the UTC date does not explain it."""
    day = date(2026, 12, 7)
    evening = clinic(CHICAGO, DayRule(day + timedelta(days=1), day + timedelta(days=1), None, "Holiday"),
                     weekly={"mon": ((time(9), time(21)),)})
    found = disruption_of(visit(CHICAGO, day, 19), evening, Standing(True))
    assert found.reason == PROVIDER_SCHEDULE


def test_the_record_has_shared_decision_3s_shape():
    detected = datetime(2026, 12, 1, tzinfo=timezone.utc)
    found = disruption_of(visit(CHICAGO, date(2026, 12, 7), 9), clinic(), Standing(True))
    assert disruption_record(found, detected, telehealth=True) == {
        "reason": PROVIDER_SCHEDULE, "detail": found.detail, "detected_at": detected,
        "options": {"reschedule": True, "telehealth": True, "cancel": True}}
