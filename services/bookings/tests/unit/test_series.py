"""Series rules as pure functions: wall-clock recurrence across DST, each occurrence's reason, alternatives."""
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bookings.domain.errors import NotBookable, SeriesInvalid
from bookings.domain.schedule import Closure, Location, Provider, Schedule, VisitType
from bookings.domain.series import (BEYOND_HORIZON, BOOKED, CLOSED, NOT_LICENSED, OUTSIDE_HOURS, Judge, ProviderRecord,
                                    check_first, check_until, licensure_only, merged, occurrence_starts, with_bookings)
from bookings.domain.slots import Policy, Span

UTC = timezone.utc
CHICAGO, NEW_YORK = "America/Chicago", "America/New_York"


def local(zone, y, m, d, hh, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=ZoneInfo(zone))


def utc(y, m, d, hh, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=UTC)


@pytest.mark.parametrize("zone, first, every, count, expected", [
    # spring forward (second Sunday of March 2027): 10:00 CST is 16:00Z, 10:00 CDT is 15:00Z
    (CHICAGO, local(CHICAGO, 2027, 3, 8, 10), 1, 2, [utc(2027, 3, 8, 16), utc(2027, 3, 15, 15)]),
    (NEW_YORK, local(NEW_YORK, 2027, 3, 10, 10), 1, 2, [utc(2027, 3, 10, 15), utc(2027, 3, 17, 14)]),
    # fall back (first Sunday of November): the offset grows by an hour, the wall clock stays
    (CHICAGO, local(CHICAGO, 2027, 11, 1, 10), 1, 2, [utc(2027, 11, 1, 15), utc(2027, 11, 8, 16)]),
    (NEW_YORK, local(NEW_YORK, 2026, 10, 26, 10), 1, 2, [utc(2026, 10, 26, 14), utc(2026, 11, 2, 15)]),
    # every other week and every four weeks, across the change
    (CHICAGO, local(CHICAGO, 2027, 3, 1, 9), 2, 3, [utc(2027, 3, 1, 15), utc(2027, 3, 15, 14), utc(2027, 3, 29, 14)]),
    (NEW_YORK, local(NEW_YORK, 2026, 10, 19, 9), 4, 2, [utc(2026, 10, 19, 13), utc(2026, 11, 16, 14)]),
    # a start given in another offset is first read in the clinic's zone
    (CHICAGO, utc(2027, 3, 8, 16), 1, 2, [utc(2027, 3, 8, 16), utc(2027, 3, 15, 15)]),
    # a wall time that does not exist (02:30 on 14 March) is read with the offset before the change
    (CHICAGO, local(CHICAGO, 2027, 3, 7, 2, 30), 1, 2, [utc(2027, 3, 7, 8, 30), utc(2027, 3, 14, 8, 30)]),
    # one that happens twice (01:30 on 7 November) is its first occurrence
    (CHICAGO, local(CHICAGO, 2027, 10, 31, 1, 30), 1, 2, [utc(2027, 10, 31, 6, 30), utc(2027, 11, 7, 6, 30)]),
])
def test_occurrences_keep_the_wall_clock_across_dst(zone, first, every, count, expected):
    starts = occurrence_starts(first, zone, every, count=count)
    assert starts == expected
    if first.astimezone(ZoneInfo(zone)).hour >= 3:   # outside the hour a change skips, the clock never moves
        assert len({s.astimezone(ZoneInfo(zone)).strftime("%H:%M") for s in starts}) == 1


@pytest.mark.parametrize("until, expected", [(date(2027, 3, 22), 3), (date(2027, 3, 21), 2), (date(2027, 3, 8), 1)])
def test_until_includes_its_own_date(until, expected):
    assert len(occurrence_starts(local(CHICAGO, 2027, 3, 8, 10), CHICAGO, 1, until=until)) == expected


def test_until_never_gives_more_than_26():
    assert len(occurrence_starts(local(CHICAGO, 2027, 1, 4, 10), CHICAGO, 1, until=date(2028, 1, 1))) == 26


NOW = utc(2026, 12, 1, 12)
POLICY = Policy()


@pytest.mark.parametrize("start, refusal", [
    (utc(2026, 11, 30, 15), "is in the past"),
    (utc(2026, 12, 1, 20), "is sooner than the minimum notice of 24 hours"),
    (utc(2027, 3, 1, 15), "is beyond the booking horizon of 90 days"),
])
def test_the_first_visit_obeys_notice_and_horizon(start, refusal):
    with pytest.raises(NotBookable) as refused:
        check_first(start, NOW, POLICY)
    assert refused.value.errors == {"start": [refusal]}


def test_until_beyond_the_series_horizon_is_refused():
    check_until(date(2027, 5, 31), NOW, timedelta(days=182), CHICAGO)
    with pytest.raises(SeriesInvalid):
        check_until(date(2027, 6, 2), NOW, timedelta(days=182), CHICAGO)


def monday_windows(*mondays):
    """08:00-17:00 Chicago on each date (CST in December)."""
    return tuple(Span(local(CHICAGO, 2026, 12, d, 8).astimezone(UTC), local(CHICAGO, 2026, 12, d, 17).astimezone(UTC))
                 for d in mondays)


LOCATION = Location("jonesboro", "Jonesboro Clinic", CHICAGO, {"state": "AR"}, open_weekdays=frozenset(range(5)),
                    closures=(Closure(date(2026, 12, 21), date(2026, 12, 21), True),))
THERAPY = VisitType("therapy-cbt", "CBT", 50, 10, False)


def judge(windows, busy=(), licensed=True, horizon_days=182):
    schedule = Schedule(LOCATION, THERAPY, "in_person", (Provider("hannah", "Hannah Brooks", "LCSW", windows),))
    return Judge(schedule, "hannah", licensed, tuple(busy), NOW, Policy(POLICY.min_notice, timedelta(days=horizon_days)))


def at(day, hour, minute=0):
    return local(CHICAGO, 2026, 12, day, hour, minute).astimezone(UTC)


@pytest.mark.parametrize("start, windows, busy, licensed, horizon, reason", [
    (at(7, 10), monday_windows(7), (), True, 182, None),
    (at(7, 10), monday_windows(7), (Span(at(7, 10, 30), at(7, 11)),), True, 182, BOOKED),
    (at(7, 10), monday_windows(7), (Span(at(7, 9), at(7, 10)),), True, 182, None),       # touching is free
    (at(7, 10), monday_windows(7), (Span(at(7, 10, 55), at(7, 12)),), True, 182, BOOKED),  # into the buffer
    (at(7, 16, 30), monday_windows(7), (), True, 182, OUTSIDE_HOURS),                    # would end after closing
    (at(7, 10, 30), monday_windows(7), (), True, 182, OUTSIDE_HOURS),                    # off the grid
    (at(14, 10), monday_windows(7), (), True, 182, OUTSIDE_HOURS),                       # not working that day
    (at(21, 10), monday_windows(7), (), True, 182, CLOSED),                              # a full-day closure
    (at(12, 10), monday_windows(7), (), True, 182, CLOSED),                              # Saturday: no hours
    (at(7, 10), monday_windows(7), (), False, 182, NOT_LICENSED),
    (at(28, 10), monday_windows(28), (), True, 20, BEYOND_HORIZON),
])
def test_each_occurrence_names_its_reason(start, windows, busy, licensed, horizon, reason):
    assert judge(windows, busy, licensed, horizon).reason(start) == reason


def test_special_hours_open_a_weekday_without_hours():
    saturday = Location("x", "X", CHICAGO, open_weekdays=frozenset(range(5)),
                        closures=(Closure(date(2026, 12, 12), date(2026, 12, 12), False),))
    assert not saturday.closed_on(date(2026, 12, 12)) and saturday.closed_on(date(2026, 12, 19))


def test_a_conflict_offers_the_same_providers_free_slots_that_week_nearest_first():
    windows = monday_windows(7, 9, 14)   # Monday, Wednesday, next Monday
    found = judge(windows, busy=[Span(at(7, 10), at(7, 11))]).occurrence(at(7, 10))
    assert found.reason == BOOKED and found.status == "conflict"
    assert [a.start for a in found.alternatives] == ["2026-12-07T09:00:00-06:00", "2026-12-07T11:00:00-06:00",
                                                     "2026-12-07T08:00:00-06:00"]
    assert all(a.provider_id == "hannah" for a in found.alternatives)
    free = judge(windows).occurrence(at(7, 10))
    assert free.status == "free" and free.alternatives == () and free.start.isoformat() == "2026-12-07T10:00:00-06:00"


def test_not_licensed_offers_no_alternatives():
    assert judge(monday_windows(7), licensed=False).occurrence(at(7, 10)).alternatives == ()


def test_answers_for_consecutive_ranges_merge_into_one_schedule():
    first = Schedule(LOCATION, THERAPY, "in_person", (Provider("hannah", "H", "LCSW", monday_windows(7)),))
    second = Schedule(LOCATION, THERAPY, "in_person", (Provider("hannah", "H", "LCSW", monday_windows(14, 7)),))
    assert merged([first, second]).provider("hannah").windows == monday_windows(7, 14)


@pytest.mark.parametrize("record, state, only_licensure", [
    (ProviderRecord("rachel", True, frozenset({"med"}), frozenset({"telehealth"}), frozenset({"DE"})), "AR", True),
    (ProviderRecord("rachel", True, frozenset({"med"}), frozenset({"telehealth"}), frozenset({"DE"})), "DE", False),
    (ProviderRecord("rachel", True, frozenset(), frozenset({"telehealth"}), frozenset({"DE"})), "AR", False),
    (ProviderRecord("rachel", False, frozenset({"med"}), frozenset({"telehealth"}), frozenset({"DE"})), "AR", False),
    (None, "AR", False),
])
def test_not_licensed_only_when_licensure_is_the_only_reason(record, state, only_licensure):
    assert licensure_only(record, "med", "telehealth", state) is only_licensure


def test_the_series_shows_each_occurrence_as_its_booking_stands():
    series = {"occurrences": [{"booking_id": "a", "start": at(7, 10), "end": at(7, 11), "status": "confirmed"},
                              {"booking_id": "b", "start": at(14, 10), "end": at(14, 11), "status": "confirmed"}]}
    moved = {"a": {"start": at(7, 12), "end": at(7, 13), "status": "confirmed"},
             "b": {"start": at(14, 10), "end": at(14, 11), "status": "cancelled"}}
    shown = with_bookings(series, moved)["occurrences"]
    assert [(o["start"], o["status"]) for o in shown] == [(at(7, 12), "confirmed"), (at(14, 10), "cancelled")]
