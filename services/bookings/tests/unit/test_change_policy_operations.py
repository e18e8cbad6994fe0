"""The change policy and staff guards in the service layer (operations.py) against fakes: a refused change
writes nothing and frees nothing; staff's late change is recorded on the booking its event carries."""
from datetime import datetime, timedelta, timezone

import pytest

from bookings import operations
from bookings.api.problems import problem_for
from bookings.domain.errors import LateChange, NotVisitDay, TooEarly, TransitionNotAllowed
from bookings.domain.policy import ChangePolicy
from bookings.domain.schedule import Location, Provider, Schedule, VisitType
from bookings.domain.slots import Policy, Span
from services.bookings.tests.fakes import FakeBookings, FakeLedger, FakeSchedules

UTC = timezone.utc
BOOKED_AT = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
DAYS = tuple(Span(datetime(2026, 12, d, 14, tzinfo=UTC), datetime(2026, 12, d, 23, tzinfo=UTC)) for d in (7, 8))
SCHEDULE = Schedule(Location("jonesboro", "Jonesboro Clinic", "America/Chicago", phone="+18705550100"),
                    VisitType("therapy-cbt", "CBT", 50, 10, False), "in_person",
                    (Provider("hannah", "Hannah Brooks", "LCSW", DAYS),))
PATIENT = {"name": "Ana Diaz", "email": "ana@example.com", "phone": "+15555550123", "language": "es", "state": "AR"}
BOOKING_ID = "a" * 32
START = datetime(2026, 12, 7, 15, tzinfo=UTC)   # Monday 09:00 in Chicago


class Clock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock():
    return Clock(BOOKED_AT)


@pytest.fixture
def deps(clock):
    deps = operations.Deps(bookings=FakeBookings([]), ledger=FakeLedger([]), schedules=FakeSchedules(SCHEDULE),
                           policy=Policy(min_notice=timedelta(0)), clock=clock,
                           change_policy=ChangePolicy(timedelta(hours=24)))
    operations.book(deps, {"service_id": "therapy-cbt", "provider_id": "hannah", "location_id": "jonesboro",
                           "start": START, "patient": dict(PATIENT), "notes": None}, BOOKING_ID)
    return deps


def test_a_patients_cancel_inside_the_cutoff_is_refused_and_changes_nothing(deps, clock):
    clock.now = START - timedelta(hours=23)
    with pytest.raises(LateChange) as refused:
        operations.transition(deps, BOOKING_ID, "cancel", "ill", by_patient=True)
    assert refused.value.phone == "+18705550100"
    assert deps.bookings.docs[BOOKING_ID]["status"] == "confirmed" and deps.bookings.events == ["booking.confirmed"]
    assert deps.ledger.spans("hannah", BOOKING_ID) == [Span(START, START + timedelta(hours=1))]
    shown = problem_for(refused.value)
    assert (shown.status, shown.slug) == (409, "late-change")


def test_a_patients_cancel_outside_the_cutoff_is_not_late(deps, clock):
    clock.now = START - timedelta(hours=25)
    cancelled = operations.transition(deps, BOOKING_ID, "cancel", by_patient=True)
    assert cancelled["status"] == "cancelled" and "late" not in cancelled


def test_staffs_cancel_inside_the_cutoff_is_recorded_late(deps, clock):
    clock.now = START - timedelta(hours=2)
    cancelled = operations.transition(deps, BOOKING_ID, "cancel", "called in")
    assert cancelled["status"] == "cancelled" and cancelled["late"] is True
    assert deps.ledger.spans("hannah", BOOKING_ID) == []


def test_a_patients_move_inside_the_cutoff_claims_nothing(deps, clock):
    clock.now = START - timedelta(hours=1)
    with pytest.raises(LateChange):
        operations.reschedule(deps, BOOKING_ID, START + timedelta(days=1), by_patient=True)
    assert deps.ledger.spans("hannah", BOOKING_ID) == [Span(START, START + timedelta(hours=1))]


def test_staffs_move_inside_the_cutoff_is_recorded_late(deps, clock):
    clock.now = START - timedelta(hours=1)
    moved = operations.reschedule(deps, BOOKING_ID, START + timedelta(days=1))
    assert moved["late"] is True and deps.bookings.events[-1] == "booking.rescheduled"


def test_the_state_is_judged_before_the_time(deps, clock):
    operations.transition(deps, BOOKING_ID, "cancel")
    clock.now = START - timedelta(hours=1)
    with pytest.raises(TransitionNotAllowed):
        operations.transition(deps, BOOKING_ID, "cancel", by_patient=True)
    with pytest.raises(TransitionNotAllowed):
        operations.transition(deps, BOOKING_ID, "check_in")


def test_check_in_waits_for_the_visits_day_and_complete_for_its_start(deps, clock):
    clock.now = START - timedelta(days=1)
    with pytest.raises(NotVisitDay):
        operations.transition(deps, BOOKING_ID, "check_in")
    with pytest.raises(TooEarly):
        operations.transition(deps, BOOKING_ID, "no_show")
    clock.now = START - timedelta(minutes=30)   # the same morning
    assert operations.transition(deps, BOOKING_ID, "check_in")["status"] == "checked_in"
    with pytest.raises(TooEarly) as refused:
        operations.transition(deps, BOOKING_ID, "complete")
    assert problem_for(refused.value).slug == "too-early"
    clock.now = START + timedelta(minutes=50)
    assert operations.transition(deps, BOOKING_ID, "complete")["status"] == "completed"
    assert deps.bookings.events == ["booking.confirmed", "booking.checked_in", "booking.completed"]
