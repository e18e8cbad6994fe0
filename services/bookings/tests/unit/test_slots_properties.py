"""Properties of the slot rules over generated schedules, bookings and clocks (hypothesis).

Windows are one provider's working windows (disjoint, as locations computes them); busy spans are
what their bookings block (visit + buffer). Times are whole minutes from a fixed Monday, in UTC.
"""
from datetime import datetime, timedelta, timezone

from hypothesis import given, settings, strategies as st

from bookings.domain.slots import Policy, Service, Span, blocked_span, grid_starts, start_refusal
from services.bookings.tests.offered import offered_starts as free_starts

MONDAY = datetime(2026, 12, 7, 14, 0, tzinfo=timezone.utc)
BOUNDED = settings(max_examples=200, deadline=None, database=None)  # no .hypothesis/ left in the tree


def minutes(n: int) -> datetime:
    return MONDAY + timedelta(minutes=n)


services = st.builds(Service, st.integers(5, 180).map(lambda m: timedelta(minutes=m)),
                     st.integers(0, 60).map(lambda m: timedelta(minutes=m)))
policies = st.builds(Policy, st.integers(0, 72).map(lambda h: timedelta(hours=h)),
                     st.integers(1, 10).map(lambda d: timedelta(days=d)))
clocks = st.integers(-5 * 24 * 60, 2 * 24 * 60).map(minutes)


@st.composite
def disjoint_windows(draw) -> list[Span]:
    """Up to 6 windows over a week, each after the end of the one before (gaps may be zero)."""
    windows, cursor = [], draw(st.integers(0, 600))
    for _ in range(draw(st.integers(0, 6))):
        length, gap = draw(st.integers(1, 600)), draw(st.integers(0, 900))
        windows.append(Span(minutes(cursor), minutes(cursor + length)))
        cursor += length + gap
    return windows


@st.composite
def schedules(draw, max_busy: int = 8) -> tuple[list[Span], list[Span]]:
    """Windows and busy spans near them (where they matter): an edge of a window give or take two hours."""
    windows = draw(disjoint_windows())
    busy = []
    for _ in range(draw(st.integers(0, max_busy)) if windows else 0):
        window = draw(st.sampled_from(windows))
        start = window.start + timedelta(minutes=draw(st.integers(-120, 120)))
        if draw(st.booleans()):
            start = window.end - timedelta(minutes=draw(st.integers(-120, 120)))
        busy.append(Span(start, start + timedelta(minutes=draw(st.integers(1, 240)))))
    return windows, busy


@BOUNDED
@given(schedules(), services, clocks, policies)
def test_every_offered_slot_obeys_every_rule(schedule, service, now, policy):
    windows, busy = schedule
    for start in free_starts(windows, busy, service, now, policy):
        [window] = [w for w in windows if w.start <= start and start + service.duration <= w.end]  # inside one
        assert (start - window.start) % service.step == timedelta(0)  # on the grid from opening
        assert now + policy.min_notice <= start < now + policy.horizon
        assert not any(blocked_span(start, service).overlaps(b) for b in busy)  # buffer included


@BOUNDED
@given(schedules(), services, clocks, policies)
def test_the_visits_offered_for_one_provider_never_overlap(schedule, service, now, policy):
    windows, busy = schedule
    offered = free_starts(windows, busy, service, now, policy)
    visits = sorted((Span(s, s + service.duration) for s in offered), key=lambda visit: visit.start)
    assert all(not a.overlaps(b) for a, b in zip(visits, visits[1:]))
    assert len(set(offered)) == len(offered)


@BOUNDED
@given(disjoint_windows(), services, clocks, policies)
def test_availability_and_booking_agree_on_what_could_ever_be_booked(windows, service, now, policy):
    """With nothing busy, a grid start is offered exactly when the booking path would not refuse it."""
    offered = set(free_starts(windows, [], service, now, policy))
    for window in windows:
        for start in grid_starts(window, service):
            assert (start in offered) == (start_refusal(start, windows, service, now, policy) is None)


@BOUNDED
@given(schedules(max_busy=6), services, clocks, policies, st.data())
def test_booking_an_offered_slot_only_ever_takes_slots_away(schedule, service, now, policy, data):
    windows, busy = schedule
    offered = free_starts(windows, busy, service, now, policy)
    if not offered:
        return
    taken = data.draw(st.sampled_from(offered))
    after = free_starts(windows, [*busy, blocked_span(taken, service)], service, now, policy)
    assert taken not in after and set(after) <= set(offered)
    assert not any(blocked_span(s, service).overlaps(blocked_span(taken, service)) for s in after)


@BOUNDED
@given(st.integers(5, 180), st.integers(0, 60), st.integers(0, 24 * 60))
def test_a_window_holds_as_many_visits_as_the_cadence_allows(duration, buffer, length):
    service = Service(timedelta(minutes=duration), timedelta(minutes=buffer))
    starts = list(grid_starts(Span(minutes(0), minutes(length)), service))
    expected = 0 if length < duration else (length - duration) // (duration + buffer) + 1
    assert len(starts) == expected
