"""The ledger's holds (store/ledger.py): an entry with an expiry counts until then and not a moment after."""
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

from bookings.domain.slots import Span
from bookings.reconcile import reconcile
from bookings.store.bookings import BookingRepository
from bookings.store.ledger import Ledger

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
SLOT = Span(datetime(2026, 12, 7, 15, 0, tzinfo=timezone.utc), datetime(2026, 12, 7, 16, 0, tzinfo=timezone.utc))
LATER_HALF = Span(SLOT.start + timedelta(minutes=30), SLOT.end + timedelta(minutes=30))


class Clock:
    def __init__(self, now=T0):
        self.now = now

    def __call__(self):
        return self.now


def test_a_live_hold_blocks_bookings_and_other_holds(db):
    ledger = Ledger(db, clock=Clock())
    assert ledger.claim("p", "hold-1", SLOT, expires_at=T0 + timedelta(minutes=10))
    assert not ledger.claim("p", "booking-1", SLOT)
    assert not ledger.claim("p", "hold-2", LATER_HALF, expires_at=T0 + timedelta(minutes=10))
    assert ledger.busy(["p"], SLOT) == {"p": [SLOT]}


def test_an_expired_hold_is_free_at_once_and_out_of_availability(db):
    clock = Clock()
    ledger = Ledger(db, clock=clock)
    assert ledger.claim("p", "hold-1", SLOT, expires_at=T0 + timedelta(minutes=10))
    clock.now = T0 + timedelta(minutes=10)  # expiry is inclusive: x <= now no longer counts
    assert ledger.busy(["p"], SLOT) == {"p": []}
    assert ledger.claim("p", "booking-1", LATER_HALF)
    assert ledger.busy(["p"], SLOT) == {"p": [LATER_HALF]}


def test_claim_held_books_exactly_the_held_slot_and_drops_the_hold(db):
    ledger = Ledger(db, clock=Clock())
    assert ledger.claim("p", "hold-1", SLOT, expires_at=T0 + timedelta(minutes=10))
    assert ledger.claim_held("p", "booking-1", SLOT, "hold-1")
    entries = db.provider_ledgers.find_one({"_id": "p"})["busy"]
    assert [(e["b"], "x" in e) for e in entries] == [("booking-1", False)]
    assert not ledger.claim_held("p", "booking-2", SLOT, "hold-1")  # a hold books once


def test_claim_held_after_expiry_or_release_fails(db):
    clock = Clock()
    ledger = Ledger(db, clock=clock)
    assert ledger.claim("p", "hold-1", SLOT, expires_at=T0 + timedelta(minutes=10))
    other = Span(SLOT.start + timedelta(hours=3), SLOT.end + timedelta(hours=3))
    assert ledger.claim("p", "hold-2", other, expires_at=T0 + timedelta(minutes=10))
    ledger.release_hold("p", "hold-2")
    assert not ledger.claim_held("p", "booking-2", other, "hold-2")
    clock.now = T0 + timedelta(minutes=11)
    assert not ledger.claim_held("p", "booking-1", SLOT, "hold-1")
    assert [e["b"] for e in db.provider_ledgers.find_one({"_id": "p"})["busy"]] == ["hold-1"]  # nothing pushed


def test_claim_held_fails_when_someone_else_took_the_time_after_expiry(db):
    clock = Clock()
    ledger = Ledger(db, clock=clock)
    assert ledger.claim("p", "hold-1", SLOT, expires_at=T0 + timedelta(minutes=10))
    clock.now = T0 + timedelta(minutes=11)
    assert ledger.claim("p", "hold-2", LATER_HALF, expires_at=T0 + timedelta(minutes=21))
    clock.now = T0 + timedelta(minutes=5)  # even were the first hold live again, the overlap keeps it out
    assert not ledger.claim_held("p", "booking-1", SLOT, "hold-1")


def test_release_hold_never_touches_a_booking_entry(db):
    ledger = Ledger(db, clock=Clock())
    assert ledger.claim("p", "same-id", SLOT)
    ledger.release_hold("p", "same-id")
    assert ledger.busy(["p"], SLOT) == {"p": [SLOT]}


def test_many_holds_and_bookings_race_for_one_slot_and_exactly_one_wins(db):
    ledger = Ledger(db, clock=Clock())
    contenders = ([("hold", f"hold-{i}", SLOT) for i in range(25)]
                  + [("book", f"booking-{i}", LATER_HALF) for i in range(25)])

    def contend(item):
        kind, owner, span = item
        if kind == "hold":
            return ledger.claim("p", owner, span, expires_at=T0 + timedelta(minutes=10))
        return ledger.claim("p", owner, span)

    with ThreadPoolExecutor(max_workers=len(contenders)) as pool:
        won = list(pool.map(contend, contenders))
    assert won.count(True) == 1, won
    assert len(db.provider_ledgers.find_one({"_id": "p"})["busy"]) == 1


def test_the_reconciler_keeps_a_live_hold_and_prunes_an_expired_one(db):
    ledger = Ledger(db, clock=Clock())
    assert ledger.claim("p", "hold-live", SLOT, expires_at=T0 + timedelta(days=3))
    assert ledger.claim("p", "hold-old", Span(SLOT.start + timedelta(hours=3), SLOT.end + timedelta(hours=3)),
                        expires_at=T0 + timedelta(minutes=10))
    later = datetime.now(timezone.utc) + timedelta(minutes=5)  # past the grace of entries just made
    assert reconcile(ledger, BookingRepository(db), now=max(later, T0 + timedelta(hours=1))) == 0
    assert [e["b"] for e in db.provider_ledgers.find_one({"_id": "p"})["busy"]] == ["hold-live"]
