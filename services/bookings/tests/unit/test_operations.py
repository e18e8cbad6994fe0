"""The service layer (operations.py) against fakes: the order of its steps when something fails.

The ledger is taken before a booking changes and freed only after it; once a booking may have
been stored nothing frees its span (the reconciler does); a move that does not go through gives
back the span it took."""
from datetime import datetime, timezone

import pytest
from pymongo.errors import AutoReconnect

from clinic_common.errors import Conflict, Unprocessable

from bookings import operations
from bookings.api.problems import problem_for
from bookings.domain.errors import ChangedMeanwhile, NotBookable, SlotTaken
from bookings.domain.schedule import Location, Provider, Schedule, VisitType
from bookings.domain.slots import Policy, Span
from services.bookings.tests.fakes import FakeBookings, FakeLedger, FakeSchedules

UTC = timezone.utc
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
MONDAY = (Span(datetime(2026, 12, 7, 14, tzinfo=UTC), datetime(2026, 12, 7, 23, tzinfo=UTC)),)  # 08:00-17:00 Chicago
SCHEDULE = Schedule(Location("jonesboro", "Jonesboro Clinic", "America/Chicago"),
                    VisitType("therapy-cbt", "CBT", 50, 10, False), "in_person",
                    (Provider("hannah", "Hannah Brooks", "LCSW", MONDAY), Provider("omar", "Omar Reed", "LPC", MONDAY)))
PATIENT = {"name": "Ana Diaz", "email": "ana@example.com", "phone": "+15555550123", "language": "es", "state": "AR"}
BOOKING_ID, OTHER_ID = "a" * 32, "b" * 32


def at(hour: int) -> datetime:
    return datetime(2026, 12, 7, hour, tzinfo=UTC)


def request(hour: int = 15, provider: str = "hannah") -> dict:
    return {"service_id": "therapy-cbt", "provider_id": provider, "location_id": "jonesboro", "start": at(hour),
            "patient": dict(PATIENT), "notes": None}


@pytest.fixture
def journal():
    return []


@pytest.fixture
def deps(journal):
    return operations.Deps(bookings=FakeBookings(journal), ledger=FakeLedger(journal),
                           schedules=FakeSchedules(SCHEDULE), policy=Policy(), clock=lambda: NOW)


def test_a_booking_takes_its_span_then_is_stored_with_its_event(deps, journal):
    booking, token = operations.book(deps, request(), BOOKING_ID)
    assert booking["status"] == "confirmed" and token
    assert deps.ledger.spans("hannah", BOOKING_ID) == [Span(at(15), at(16))]   # visit + buffer
    assert [step[0] for step in journal] == ["claimed", "stored"] and deps.bookings.events == ["booking.confirmed"]


def test_a_lost_claim_is_409_and_nothing_is_stored(deps):
    operations.book(deps, request(), OTHER_ID)
    with pytest.raises(SlotTaken) as refused:
        operations.book(deps, request(), BOOKING_ID)
    assert isinstance(problem_for(refused.value), Conflict) and problem_for(refused.value).status == 409
    assert BOOKING_ID not in deps.bookings.docs and deps.ledger.spans("hannah", BOOKING_ID) == []


def test_a_slot_that_never_was_is_422_naming_the_field_and_nothing_is_claimed(deps, journal):
    with pytest.raises(NotBookable) as refused:
        operations.book(deps, request(hour=13), BOOKING_ID)   # 07:00 in Chicago: before opening
    assert isinstance(problem_for(refused.value), Unprocessable) and "start" in refused.value.errors
    with pytest.raises(NotBookable) as refused:
        operations.book(deps, request(provider="nobody"), BOOKING_ID)
    assert "provider_id" in refused.value.errors and journal == []


def test_a_store_that_fails_after_the_claim_leaves_the_span_for_the_reconciler(deps):
    deps.bookings.fail_create = AutoReconnect("the datastore went away mid-write")
    with pytest.raises(AutoReconnect):
        operations.book(deps, request(), BOOKING_ID)
    assert deps.ledger.spans("hannah", BOOKING_ID) == [Span(at(15), at(16))]   # maybe stored: never freed here


def test_a_retried_book_with_the_same_id_answers_the_stored_booking(deps, journal):
    first, token = operations.book(deps, request(), BOOKING_ID, "token-1")
    journal.clear()
    again, same_token = operations.book(deps, request(), BOOKING_ID, "token-1", resumed=True)
    assert again == first and same_token == "token-1" and journal == []        # no second claim, no second event


def test_a_fresh_attempt_reads_nothing_before_it_claims(deps, journal):
    deps.bookings.get = lambda booking_id: pytest.fail("a fresh attempt cannot find a booking: no read")
    operations.book(deps, request(), BOOKING_ID)
    assert [step[0] for step in journal] == ["claimed", "stored"]


def test_a_retry_that_loses_the_insert_to_its_first_try_answers_what_the_first_stored(deps):
    stored, _ = operations.book(deps, request(), BOOKING_ID, "token-1")
    deps.bookings.get = lambda booking_id: None          # the first try's write was not visible yet
    again, _ = operations.book(deps, request(), BOOKING_ID, "token-1", resumed=True)
    assert again == stored and set(deps.ledger.spans("hannah", BOOKING_ID)) == {Span(at(15), at(16))}  # claimed twice


def test_a_move_claims_the_new_span_switches_then_frees_the_old(deps, journal):
    operations.book(deps, request(), BOOKING_ID)
    journal.clear()
    moved = operations.reschedule(deps, BOOKING_ID, at(17))
    assert moved["start"] == at(17) and moved["slot_rev"] == 2 and deps.bookings.events[-1] == "booking.rescheduled"
    assert deps.ledger.spans("hannah", BOOKING_ID) == [Span(at(17), at(18))]
    assert [step[0] for step in journal] == ["claimed", "stored", "released"]


def test_a_move_whose_compare_and_set_is_lost_releases_the_new_span(deps):
    operations.book(deps, request(), BOOKING_ID)
    deps.bookings.meanwhile = lambda doc: {**doc, "status": "cancelled"}   # cancelled while it was being moved
    with pytest.raises(ChangedMeanwhile) as refused:
        operations.reschedule(deps, BOOKING_ID, at(17))
    assert problem_for(refused.value).status == 409
    assert deps.ledger.spans("hannah", BOOKING_ID) == [Span(at(15), at(16))]   # only the old one, as before
    assert deps.bookings.docs[BOOKING_ID]["start"] == at(15)


def test_a_move_to_a_taken_time_is_409_and_changes_nothing(deps):
    operations.book(deps, request(), BOOKING_ID)
    operations.book(deps, request(hour=17), OTHER_ID)
    with pytest.raises(SlotTaken):
        operations.reschedule(deps, BOOKING_ID, at(17))
    assert deps.ledger.spans("hannah", BOOKING_ID) == [Span(at(15), at(16))]
    assert deps.bookings.docs[BOOKING_ID]["slot_rev"] == 1


def test_a_move_to_another_provider_releases_the_old_providers_span(deps):
    operations.book(deps, request(), BOOKING_ID)
    moved = operations.reschedule(deps, BOOKING_ID, at(15), provider_id="omar")
    assert moved["provider_id"] == "omar" and moved["provider"] == {"name": "Omar Reed", "credentials": "LPC"}
    assert deps.ledger.spans("hannah", BOOKING_ID) == []
    assert deps.ledger.spans("omar", BOOKING_ID) == [Span(at(15), at(16))]


def test_a_cancel_frees_the_span_after_the_status_change(deps, journal):
    operations.book(deps, request(), BOOKING_ID)
    journal.clear()
    cancelled = operations.transition(deps, BOOKING_ID, "cancel", "feeling better")
    assert cancelled["status"] == "cancelled" and cancelled["cancel_reason"] == "feeling better"
    assert journal == [("stored", BOOKING_ID, "booking.cancelled"), ("released", "hannah")]
    assert deps.ledger.spans("hannah", BOOKING_ID) == []


def test_a_confirmation_keeps_the_span(deps):
    deps.schedules.schedule = Schedule(SCHEDULE.location, VisitType("intake", "Intake", 50, 10, True),
                                       SCHEDULE.modality, SCHEDULE.providers)
    booking, _ = operations.book(deps, request(), BOOKING_ID)
    assert booking["status"] == "requested"
    assert operations.transition(deps, BOOKING_ID, "confirm")["status"] == "confirmed"
    assert deps.ledger.spans("hannah", BOOKING_ID) == [Span(at(15), at(16))]
