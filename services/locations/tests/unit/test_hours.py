from datetime import date, datetime, time, timezone

import pytest

from locations.domain.closures import closure_errors, effective_hours
from locations.domain.hours import Interval, normalized, parse_weekly, weekly_hours_errors
from locations.domain.zones import is_valid_zone, wall_to_utc

WEEKDAY_9_TO_5 = {d: [{"open": "08:00", "close": "17:00"}] for d in ("mon", "tue", "wed", "thu", "fri")}
LUNCH = {"mon": [{"open": "13:00", "close": "17:00"}, {"open": "08:00", "close": "12:00"}]}


@pytest.mark.parametrize("hours, field, message", [
    ({"monday": []}, "monday", "not a weekday"),
    ({"mon": [{"open": "17:00", "close": "08:00"}]}, "mon", "close must be after open"),
    ({"mon": [{"open": "09:00", "close": "09:00"}]}, "mon", "close must be after open"),
    ({"mon": [{"open": "22:00", "close": "02:00"}]}, "mon", "no overnight"),
    ({"mon": [{"open": "08:00", "close": "12:00"}, {"open": "11:30", "close": "17:00"}]}, "mon", "overlaps"),
    ({"mon": [{"open": "8:00", "close": "12:00"}]}, "mon", "HH:MM"),
    ({"mon": [{"open": "08:00", "close": "24:00"}]}, "mon", "HH:MM"),
    ({"mon": [{"open": "08:00"}]}, "mon", "HH:MM"),
    ({"mon": "08:00-17:00"}, "mon", "list"),
    ([], "_schema", "weekdays"),
])
def test_weekly_hours_refusals(hours, field, message):
    errors = weekly_hours_errors(hours)
    assert message in " ".join(errors[field])


@pytest.mark.parametrize("hours", [WEEKDAY_9_TO_5, LUNCH, {}, {"sun": []},
                                   {"mon": [{"open": "08:00", "close": "12:00"}, {"open": "12:00", "close": "17:00"}]}])
def test_weekly_hours_accepted(hours):
    assert weekly_hours_errors(hours) == {}


def test_normalized_hours_list_every_day_with_sorted_intervals():
    stored = normalized(LUNCH)
    assert list(stored) == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    assert stored["mon"] == [{"open": "08:00", "close": "12:00"}, {"open": "13:00", "close": "17:00"}]
    assert stored["sat"] == []


def _closure(first, last, reason="holiday", intervals=None, created=1):
    return {"id": f"c{created}", "from": first, "to": last, "reason": reason, "intervals": intervals,
            "created_at": datetime(2026, 1, created, tzinfo=timezone.utc)}


WEEKLY = parse_weekly(WEEKDAY_9_TO_5)
NINE_TO_FIVE = [Interval(time(8), time(17))]


@pytest.mark.parametrize("closures, day, intervals, closed, reason", [
    ([], date(2026, 12, 21), NINE_TO_FIVE, False, None),                       # a Monday
    ([], date(2026, 12, 19), [], True, None),                                  # a Saturday
    ([_closure(date(2026, 12, 24), date(2026, 12, 25))], date(2026, 12, 24), [], True, "holiday"),
    ([_closure(date(2026, 12, 24), date(2026, 12, 25))], date(2026, 12, 23), NINE_TO_FIVE, False, None),
    ([_closure(date(2026, 12, 19), date(2026, 12, 19), "saturday clinic", [{"open": "09:00", "close": "13:00"}])],
     date(2026, 12, 19), [Interval(time(9), time(13))], False, "saturday clinic"),
    ([_closure(date(2026, 12, 21), date(2026, 12, 21), "short day", [{"open": "08:00", "close": "12:00"}], created=1),
      _closure(date(2026, 12, 21), date(2026, 12, 21), "weather", created=2)],
     date(2026, 12, 21), [], True, "weather"),                                 # a full closure beats special hours
    ([_closure(date(2026, 12, 21), date(2026, 12, 21), "late", [{"open": "10:00", "close": "17:00"}], created=2),
      _closure(date(2026, 12, 21), date(2026, 12, 21), "early", [{"open": "08:00", "close": "12:00"}], created=1)],
     date(2026, 12, 21), [Interval(time(10), time(17))], False, "late"),       # the newest special hours win
])
def test_effective_hours_of_a_date(closures, day, intervals, closed, reason):
    [effective] = effective_hours(WEEKLY, closures, day, day)
    assert (effective.intervals, effective.closed, effective.reason) == (intervals, closed, reason)


def test_a_closure_splits_a_range():
    days = effective_hours(WEEKLY, [_closure(date(2026, 12, 24), date(2026, 12, 25))], date(2026, 12, 21), date(2026, 12, 31))
    open_days = [d.date.day for d in days if not d.closed]
    assert open_days == [21, 22, 23, 28, 29, 30, 31]
    assert len(days) == 11


@pytest.mark.parametrize("closure, field", [
    (_closure(date(2026, 12, 25), date(2026, 12, 24)), "to"),
    (_closure(date(2026, 1, 1), date(2027, 6, 1)), "to"),
    (_closure(date(2026, 12, 24), date(2026, 12, 24), intervals=[{"open": "12:00", "close": "09:00"}]), "intervals"),
    (_closure(date(2026, 12, 24), date(2026, 12, 24), intervals=[]), "intervals"),
])
def test_closure_refusals(closure, field):
    assert field in closure_errors(closure)


# DST in 2026: spring forward Sunday 8 March, fall back Sunday 1 November.
@pytest.mark.parametrize("zone, day, wall, utc", [
    ("America/Chicago", date(2026, 3, 7), time(8), datetime(2026, 3, 7, 14, tzinfo=timezone.utc)),    # CST -6
    ("America/Chicago", date(2026, 3, 8), time(8), datetime(2026, 3, 8, 13, tzinfo=timezone.utc)),    # CDT -5
    ("America/Chicago", date(2026, 3, 8), time(17), datetime(2026, 3, 8, 22, tzinfo=timezone.utc)),
    ("America/Chicago", date(2026, 10, 31), time(8), datetime(2026, 10, 31, 13, tzinfo=timezone.utc)),
    ("America/Chicago", date(2026, 11, 1), time(8), datetime(2026, 11, 1, 14, tzinfo=timezone.utc)),
    ("America/Chicago", date(2026, 11, 1), time(17), datetime(2026, 11, 1, 23, tzinfo=timezone.utc)),
    ("America/New_York", date(2026, 3, 7), time(8), datetime(2026, 3, 7, 13, tzinfo=timezone.utc)),  # EST -5
    ("America/New_York", date(2026, 3, 8), time(8), datetime(2026, 3, 8, 12, tzinfo=timezone.utc)),  # EDT -4
    ("America/New_York", date(2026, 10, 31), time(8), datetime(2026, 10, 31, 12, tzinfo=timezone.utc)),
    ("America/New_York", date(2026, 11, 1), time(8), datetime(2026, 11, 1, 13, tzinfo=timezone.utc)),
    ("America/Chicago", date(2026, 3, 8), time(2, 30), datetime(2026, 3, 8, 8, 30, tzinfo=timezone.utc)),  # no 02:30: 03:30 CDT
    ("America/Chicago", date(2026, 11, 1), time(1, 30), datetime(2026, 11, 1, 6, 30, tzinfo=timezone.utc)),  # twice: first
])
def test_wall_clock_to_utc_across_dst(zone, day, wall, utc):
    assert wall_to_utc(day, wall, zone) == utc


@pytest.mark.parametrize("zone", ["America/Chicago", "America/New_York"])
@pytest.mark.parametrize("day", [date(2026, 3, 8), date(2026, 11, 1)])
def test_an_eight_to_five_day_stays_nine_hours_on_dst_sundays(zone, day):
    assert wall_to_utc(day, time(17), zone) - wall_to_utc(day, time(8), zone) == (
        datetime(2026, 1, 1, 17) - datetime(2026, 1, 1, 8))


@pytest.mark.parametrize("name, ok", [("America/Chicago", True), ("America/New_York", True), ("UTC", True),
                                      ("America/Jonesboro", False), ("", False), ("../etc/passwd", False), (None, False)])
def test_time_zones_must_be_iana_names(name, ok):
    assert is_valid_zone(name) is ok
