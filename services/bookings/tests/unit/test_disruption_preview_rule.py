"""What a proposed closure or special hours would do to a booking (domain/disruption.py disruption_under),
before anything is saved: the same reasons as the scan's, on the clinic's calendar, across DST."""
from datetime import date, time, timedelta

import pytest

from bookings.domain.disruption import CLOSURE, SPECIAL_HOURS, DayRule, Standing, disruption_under
from tests.unit.test_disruption_rule import CHICAGO, DAYS, NEW_YORK, clinic, visit, working

MORNING = ((time(9), time(12)),)


@pytest.mark.parametrize("zone, day", DAYS)
def test_a_closure_of_the_visit_date_would_disrupt_it(zone, day):
    found = disruption_under(visit(zone, day, 15), clinic(zone), working(zone, day), DayRule(day, day, None, "Flood"))
    assert found.reason == CLOSURE and day.isoformat() in found.detail and "Flood" in found.detail


@pytest.mark.parametrize("zone, day", DAYS)
def test_a_closure_of_other_dates_leaves_it(zone, day):
    other = DayRule(day + timedelta(days=1), day + timedelta(days=3), None, "Away")
    assert disruption_under(visit(zone, day, 9), clinic(zone), working(zone, day), other) is None
    # late in the clinic's evening is the next day in UTC: the clinic's date decides
    assert disruption_under(visit(zone, day, 16), clinic(zone), working(zone, day), other) is None


@pytest.mark.parametrize("zone, day", DAYS)
def test_special_hours_leave_out_an_afternoon_visit_and_keep_a_morning_one(zone, day):
    short = DayRule(day, day, MORNING, "Training")
    found = disruption_under(visit(zone, day, 14), clinic(zone), working(zone, day), short)
    assert found.reason == SPECIAL_HOURS and "09:00-12:00" in found.detail and "14:00" in found.detail
    assert disruption_under(visit(zone, day, 10), clinic(zone), working(zone, day), short) is None


def test_special_hours_keep_a_visit_only_inside_the_providers_own_window():
    """Named nobody: the provider works their own windows clipped to the special hours."""
    day = date(2026, 12, 7)
    late_start = working(CHICAGO, day, 11, 17)  # works 11-17; special hours 9-12 leave them 11-12
    found = disruption_under(visit(CHICAGO, day, 9), clinic(CHICAGO), Standing(True, working(CHICAGO, day, 9, 17).windows),
                             DayRule(day, day, ((time(10), time(12)),)))
    assert found.reason == SPECIAL_HOURS  # 9:00 is before the special hours open
    assert disruption_under(visit(CHICAGO, day, 11, 50), clinic(CHICAGO), late_start, DayRule(day, day, MORNING)) is None


def test_special_hours_naming_the_provider_give_them_those_hours_in_full():
    day = date(2026, 12, 12)  # a Saturday the provider would not otherwise work past noon
    provider = working(CHICAGO, day, 9, 12)
    longer = DayRule(day, day, ((time(9), time(17)),), "Saturday clinic")
    assert disruption_under(visit(CHICAGO, day, 10), clinic(CHICAGO), provider, longer, named=True) is None
    shorter = DayRule(day, day, ((time(13), time(17)),), "Afternoon only")
    assert disruption_under(visit(CHICAGO, day, 10), clinic(CHICAGO), provider, shorter, named=True).reason == SPECIAL_HOURS


def test_a_booking_already_out_of_the_schedule_is_not_this_changes_doing():
    day = date(2026, 12, 7)
    closed_already = clinic(NEW_YORK, DayRule(day, day, None, "Holiday"))
    assert disruption_under(visit(NEW_YORK, day, 9), closed_already, Standing(True),
                            DayRule(day, day, None, "Again")) is None
