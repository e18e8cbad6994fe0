"""Booking a combined visit (visit_operations.py) and settling one left pending (visit_housekeeping.py),
against fakes: the order of the saga's steps, what a lost claim leaves (nothing), and that a death after
any step ends, once housekeeping ran, with both parts booked and held or with nothing at all."""
from datetime import datetime, timezone

import pytest

from bookings import visit_operations
from bookings.api.problems import problem_for
from bookings.domain.errors import NotBookable, SlotTaken
from bookings.domain.schedule import Location, Provider, Schedule, VisitType
from bookings.domain.slots import Policy, Span
from bookings.domain.tokens import hash_token
from bookings.domain.visits import VisitAbandoned, VisitInvalid
from bookings.visit_housekeeping import settle_pending_visits
from services.bookings.tests.visit_fakes import (FakePartBookings, FakeVisitLedger, FakeVisits, ServiceSchedules,
                                                 fake_store_parts)

UTC = timezone.utc
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
LATER = datetime(2026, 12, 1, 12, 5, tzinfo=UTC)
MONDAY = (Span(datetime(2026, 12, 7, 14, tzinfo=UTC), datetime(2026, 12, 7, 23, tzinfo=UTC)),)  # 08:00-17:00 Chicago
CLINIC = Location("jonesboro", "Jonesboro Clinic", "America/Chicago")
THERAPISTS = (Provider("hannah", "Hannah Brooks", "LCSW", MONDAY), Provider("omar", "Omar Reed", "LPC", MONDAY))
PRESCRIBERS = (Provider("grace", "Grace Okafor", "MD", MONDAY), Provider("hannah", "Hannah Brooks", "LCSW", MONDAY))
SCHEDULES = {"cbt": Schedule(CLINIC, VisitType("cbt", "CBT", 50, 10, False), "in_person", THERAPISTS),
             "med": Schedule(CLINIC, VisitType("med", "Medication follow-up", 30, 0, False), "in_person", PRESCRIBERS)}
PATIENT = {"name": "Ana Diaz", "email": "ana@example.com", "phone": "+15555550123", "language": "es", "state": "AR"}
VISIT_ID, TOKEN = "c" * 32, "the-visit-token"
STEPS = ("visit-written", "claimed-1", "claimed-2", "claimed", "parts-stored")


def at(hour: int, minute: int = 0, day: int = 7) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=UTC)


def request(therapy=at(15), meds=at(16), therapist="hannah", prescriber="grace") -> dict:
    return {"patient": dict(PATIENT), "location_id": "jonesboro", "max_gap_minutes": 30, "notes": None,
            "parts": [{"service_id": "med", "provider_id": prescriber, "start": meds},
                      {"service_id": "cbt", "provider_id": therapist, "start": therapy}]}


class Died(BaseException):
    """The process ends here (BaseException: nothing in the saga may catch it)."""


@pytest.fixture
def journal():
    return []


@pytest.fixture
def deps(journal):
    return visit_operations.VisitDeps(
        visits=FakeVisits(journal), bookings=FakePartBookings(journal), ledger=FakeVisitLedger(journal),
        schedules=ServiceSchedules(SCHEDULES), policy=Policy(), clock=lambda: NOW, store_parts=fake_store_parts)


def settle(deps):
    return settle_pending_visits(deps.visits, deps.bookings, deps.ledger, now=LATER, store=fake_store_parts)


def test_the_saga_writes_the_visit_claims_each_part_stores_both_then_books_the_visit(deps, journal):
    visit, parts = visit_operations.book_visit(deps, request(), VISIT_ID, TOKEN)
    assert [step[0] for step in journal] == ["visit written", "claimed", "claimed", "advanced", "stored", "stored",
                                             "visit booked"]
    assert visit["status"] == "booked" and "plan" not in visit
    assert [(p["service_id"], p["provider_id"]) for p in parts] == [("cbt", "hannah"), ("med", "grace")]
    assert {p["visit_id"] for p in parts} == {VISIT_ID}
    assert {p["manage_token_hash"] for p in parts} == {hash_token(TOKEN)}  # the visit's token manages each part
    assert deps.visits.events == ["visit.booked"] and deps.bookings.events == ["booking.confirmed"] * 2
    assert [v for _, _, _, v in deps.ledger.marked()] == [VISIT_ID, VISIT_ID]


def test_a_lost_claim_frees_the_first_forgets_the_visit_and_names_the_part(deps, journal):
    deps.ledger.claim("grace", "x" * 32, Span(at(16), at(16, 30)))  # someone has Grace at 10:00
    with pytest.raises(SlotTaken) as refused:
        visit_operations.book_visit(deps, request(), VISIT_ID, TOKEN)
    assert "Medication follow-up" in refused.value.detail and refused.value.errors == {"parts": ["part 2 was just taken"]}
    assert problem_for(refused.value).status == 409
    assert deps.bookings.docs == {} and deps.visits.docs == {}
    assert deps.ledger.marked() == [] and [b for b, _, _ in deps.ledger.entries["grace"]] == ["x" * 32]


@pytest.mark.parametrize("changes, error", [
    ({"prescriber": "hannah"}, VisitInvalid),                       # the same provider twice
    ({"meds": at(16, day=8)}, NotBookable),                          # no windows on Tuesday
    ({"meds": at(17)}, VisitInvalid),                                # 70 minutes after the therapy ends
    ({"meds": at(15, 30)}, VisitInvalid),                            # overlaps
    ({"therapy": at(15, 30)}, NotBookable),                          # off the therapy grid
    ({"therapist": "grace"}, NotBookable),                           # a prescriber cannot do CBT
])
def test_parts_that_cannot_be_one_trip_are_refused_before_anything_is_written(deps, journal, changes, error):
    with pytest.raises(error) as refused:
        visit_operations.book_visit(deps, request(**changes), VISIT_ID, TOKEN)
    assert problem_for(refused.value).status == 422 and "parts" in refused.value.errors
    assert journal == []


@pytest.mark.parametrize("step", STEPS)
def test_a_death_after_any_step_is_settled_to_all_or_nothing(deps, step):
    def die_at(reached):
        if reached == step:
            raise Died(step)

    deps.checkpoint = die_at
    with pytest.raises(Died):
        visit_operations.book_visit(deps, request(), VISIT_ID, TOKEN)
    assert settle_pending_visits(deps.visits, deps.bookings, deps.ledger, now=NOW, store=fake_store_parts) == {
        "finished": 0, "undone": 0}  # young: perhaps still in flight
    outcome = settle(deps)
    assert outcome == ({"finished": 1, "undone": 0} if step in ("claimed", "parts-stored")
                       else {"finished": 0, "undone": 1})
    active = [b for b in deps.bookings.docs.values() if b["status"] == "confirmed"]
    held = deps.ledger.marked()
    if outcome["finished"]:
        assert len(active) == 2 and deps.visits.docs[VISIT_ID]["status"] == "booked"
        assert sorted((p, b) for p, b, _, _ in held) == sorted((b["provider_id"], b["_id"]) for b in active)
    else:
        assert active == [] and held == [] and VISIT_ID not in deps.visits.docs
    assert settle(deps) == {"finished": 0, "undone": 0}  # settled once


def test_a_visit_whose_span_went_missing_while_storing_is_undone_and_its_stored_part_cancelled(deps):
    deps.checkpoint = lambda reached: (_ for _ in ()).throw(Died()) if reached == "claimed" else None
    with pytest.raises(Died):
        visit_operations.book_visit(deps, request(), VISIT_ID, TOKEN)
    plan = deps.visits.docs[VISIT_ID]["plan"]
    fake_store_parts(deps.bookings, plan[:1])                          # one part got stored
    deps.ledger.release(plan[1]["provider_id"], plan[1]["_id"])        # the other's span is gone
    assert settle(deps) == {"finished": 0, "undone": 1}
    assert [b["status"] for b in deps.bookings.docs.values()] == ["cancelled"]
    assert deps.ledger.marked() == [] and deps.visits.docs[VISIT_ID]["status"] == "cancelled"
    # The patient never heard of this part (its creation is told by visit.booked, which never came):
    # its cancellation is marked as the visit's, so no message announces a visit nobody was told of.
    assert [b.get("cancelled_with_visit") for b in deps.bookings.docs.values()] == [True]


def test_a_request_slower_than_housekeeping_stops_and_frees_what_it_claimed_after(deps):
    def housekeeping_meanwhile(reached):
        if reached == "claimed-1":
            settle_pending_visits(deps.visits, deps.bookings, deps.ledger, now=LATER, store=fake_store_parts)

    deps.checkpoint = housekeeping_meanwhile
    with pytest.raises(VisitAbandoned):
        visit_operations.book_visit(deps, request(), VISIT_ID, TOKEN)
    assert deps.ledger.marked() == [] and deps.bookings.docs == {} and deps.visits.docs == {}
