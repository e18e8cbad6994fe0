from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from clinic_common.errors import Conflict

from bookings.api.problems import problem_for
from bookings.domain.errors import TransitionNotAllowed
from bookings.domain.lifecycle import next_status
from bookings.domain.slots import Policy, Service, Span, blocked_span, start_refusal
from services.bookings.tests.offered import offered_starts as free_starts

UTC = timezone.utc
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
THERAPY = Service(timedelta(minutes=50), timedelta(minutes=10))
FOLLOW_UP = Service(timedelta(minutes=30), timedelta(0))
POLICY = Policy()


def utc(day, hour, minute=0):
    return datetime(2026, 12, day, hour, minute, tzinfo=UTC)


def local(zone, y, m, d, hh, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=ZoneInfo(zone)).astimezone(UTC)


DAY = Span(utc(7, 14), utc(7, 23))  # Monday 7 December, 08:00-17:00 in Chicago


@pytest.mark.parametrize("busy, expected_hours", [
    ([], [14, 15, 16, 17, 18, 19, 20, 21, 22]),
    ([blocked_span(utc(7, 16), THERAPY)], [14, 15, 17, 18, 19, 20, 21, 22]),
    ([Span(utc(7, 16, 40), utc(7, 17, 10))], [14, 15, 18, 19, 20, 21, 22]),   # a 30-minute visit across two slots
    ([Span(utc(7, 14), utc(7, 23))], []),
    ([Span(utc(7, 13), utc(7, 14))], [14, 15, 16, 17, 18, 19, 20, 21, 22]),   # touching is not overlapping
])
def test_free_starts_step_on_the_cadence_and_avoid_busy_spans_with_buffers(busy, expected_hours):
    assert [s.hour for s in free_starts([DAY], busy, THERAPY, NOW, POLICY)] == expected_hours


def test_the_last_visit_must_end_by_closing_but_its_buffer_may_run_past():
    short = Span(utc(7, 14), utc(7, 15, 50))
    assert [s.hour for s in free_starts([short], [], THERAPY, NOW, POLICY)] == [14, 15]  # 15:00-15:50, buffer to 16:00
    assert free_starts([Span(utc(7, 14), utc(7, 14, 49))], [], THERAPY, NOW, POLICY) == []


def test_the_grid_starts_at_each_window_opening():
    afternoon = Span(utc(7, 19, 15), utc(7, 21, 15))
    assert [(s.hour, s.minute) for s in free_starts([afternoon], [], FOLLOW_UP, NOW, POLICY)] == [
        (19, 15), (19, 45), (20, 15), (20, 45)]


@pytest.mark.parametrize("now, expected", [
    (utc(6, 15), [15, 16, 17, 18, 19, 20, 21, 22]),        # 24 h notice cuts the morning
    (utc(7, 23), []),                                       # the day is over
    (utc(7, 14) - timedelta(days=90), []),                  # 90 days ahead is beyond the horizon
    (utc(7, 15) - timedelta(days=90), [14]),                # only the first slot is inside it
])
def test_minimum_notice_and_horizon(now, expected):
    assert [s.hour for s in free_starts([DAY], [], THERAPY, now, POLICY)] == expected


def test_a_closed_day_has_no_window_and_so_no_slot():
    assert free_starts([], [], THERAPY, NOW, POLICY) == []


@pytest.mark.parametrize("zone, day, opening_utc_hour", [
    ("America/Chicago", (2026, 3, 8), 13), ("America/Chicago", (2026, 11, 1), 14),
    ("America/New_York", (2026, 3, 8), 12), ("America/New_York", (2026, 11, 1), 13),
])
def test_slots_on_dst_sundays_keep_their_wall_clock_times(zone, day, opening_utc_hour):
    window = Span(local(zone, *day, 8), local(zone, *day, 17))
    now = local(zone, *day, 0) - timedelta(days=2)
    starts = free_starts([window], [], THERAPY, now, POLICY)
    assert starts[0].hour == opening_utc_hour and len(starts) == 9
    assert [s.astimezone(ZoneInfo(zone)).time() for s in starts] == [time(h) for h in range(8, 17)]


@pytest.mark.parametrize("start, reason", [
    (utc(7, 15), None),
    (utc(7, 15, 30), "grid"),
    (utc(7, 13), "outside"),
    (utc(7, 22, 30), "outside"),                       # would end after closing
    (utc(1, 11), "past"),
    (utc(1, 20), "notice"),
    (utc(7, 15) + timedelta(days=120), "horizon"),
])
def test_start_refusals(start, reason):
    refusal = start_refusal(start, [DAY, Span(DAY.start + timedelta(days=120), DAY.end + timedelta(days=120))],
                            THERAPY, NOW, POLICY)
    assert (refusal is None) if reason is None else (reason in refusal)


@pytest.mark.parametrize("action, status, expected", [
    ("confirm", "requested", "confirmed"), ("check_in", "confirmed", "checked_in"),
    ("complete", "checked_in", "completed"), ("no_show", "confirmed", "no_show"),
    ("cancel", "requested", "cancelled"), ("cancel", "confirmed", "cancelled"),
    ("reschedule", "confirmed", "confirmed"), ("reschedule", "requested", "requested"),
])
def test_allowed_transitions(action, status, expected):
    assert next_status(action, status) == expected


@pytest.mark.parametrize("action, status", [
    ("confirm", "confirmed"), ("check_in", "requested"), ("complete", "confirmed"), ("cancel", "checked_in"),
    ("cancel", "cancelled"), ("reschedule", "completed"), ("no_show", "checked_in"), ("confirm", "cancelled"),
])
def test_refused_transitions_are_conflicts(action, status):
    with pytest.raises(TransitionNotAllowed) as refused:
        next_status(action, status)
    assert isinstance(problem_for(refused.value), Conflict)
