"""Properties of wall-clock hours and working windows across DST (hypothesis): opening hours are
wall-clock, so a window's local times are exactly the clipped hours on every date of every year."""
from datetime import date, datetime, time, timedelta

from hypothesis import given, settings, strategies as st

from clinic_common.limits import FIRST_DATE, LAST_DATE
from locations.domain.windows import working_windows
from locations.domain.zones import utc_to_wall, wall_to_utc

BOUNDED = settings(max_examples=150, deadline=None, database=None)  # no .hypothesis/ left in the tree
ZONES = ("America/Chicago", "America/New_York", "Europe/London")
DST_SUNDAYS = [date(2026, 3, 8), date(2026, 11, 1), date(2027, 3, 14), date(2027, 11, 7), date(2026, 3, 29),
               date(2026, 10, 25)]  # the US changes of 2026 and 2027, then the UK's of 2026


dates = st.dates(FIRST_DATE, LAST_DATE)
near_dst = st.builds(lambda sunday, shift: sunday + timedelta(days=shift), st.sampled_from(DST_SUNDAYS),
                     st.integers(-3, 3))
wall_times = st.builds(time, st.integers(0, 23), st.integers(0, 59))
quarter_hours = st.integers(4 * 4, 24 * 4 - 1)  # 04:00..23:45: clear of the 01:00-03:00 changes


def hhmm(quarters: int) -> str:
    return f"{quarters // 4:02d}:{quarters % 4 * 15:02d}"


@BOUNDED
@given(st.one_of(dates, near_dst), wall_times, st.sampled_from(ZONES))
def test_a_wall_time_survives_the_round_trip_or_lands_after_the_gap(day, at, zone):
    back = utc_to_wall(wall_to_utc(day, at, zone), zone)
    shift = datetime.combine(back.date(), back.time()) - datetime.combine(day, at)
    assert timedelta(0) <= shift <= timedelta(hours=1)  # a time in the spring gap moves later, never earlier
    if not time(0, 0) <= at < time(4, 0):  # changes happen in the small hours: elsewhere it is exact
        assert shift == timedelta(0)


@BOUNDED
@given(near_dst, st.integers(0, 9), st.sampled_from(ZONES), st.lists(quarter_hours, min_size=4, max_size=4, unique=True))
def test_working_windows_keep_their_wall_clock_times_across_dst(first, days, zone, bounds):
    open_q, close_q, start_q, end_q = sorted(bounds[:2]) + sorted(bounds[2:])
    week = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    location = {"timezone": zone, "closures": [], "hours": {d: [{"open": hhmm(open_q), "close": hhmm(close_q)}] for d in week}}
    schedule = {d: [{"open": hhmm(start_q), "close": hhmm(end_q)}] for d in week}
    windows = working_windows(location, schedule, first, first + timedelta(days=days))
    overlap = (max(open_q, start_q), min(close_q, end_q))
    assert len(windows) == ((days + 1) if overlap[0] < overlap[1] else 0)  # one a day, or none at all
    for window in windows:
        start, end = utc_to_wall(window.start, zone), utc_to_wall(window.end, zone)
        assert start.date() == end.date() == window.date
        assert (start.strftime("%H:%M"), end.strftime("%H:%M")) == (hhmm(overlap[0]), hhmm(overlap[1]))
