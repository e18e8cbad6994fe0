"""The reconciler frees what a request that died halfway left in the ledger, and nothing else."""
from datetime import datetime, timedelta, timezone

from bookings.domain.slots import Span
from bookings.reconcile import reconcile
from bookings.store.bookings import BookingRepository
from bookings.store.ledger import Ledger

LATER = datetime.now(timezone.utc) + timedelta(minutes=5)


def test_leftovers_go_current_entries_stay(client, book, db):
    booking = book()
    ledger, bookings = Ledger(db), BookingRepository(db)
    start = datetime(2026, 12, 7, 18, tzinfo=timezone.utc)
    ledger.claim("hannah-brooks", "f" * 32, Span(start, start + timedelta(hours=1)))       # its booking never stored
    ledger.claim("hannah-brooks", booking["id"], Span(start + timedelta(hours=2), start + timedelta(hours=3)), 2)  # a move that never switched
    assert len(db.provider_ledgers.find_one({"_id": "hannah-brooks"})["busy"]) == 3

    assert reconcile(ledger, bookings, now=datetime.now(timezone.utc)) == 0   # young entries may be requests in flight
    assert reconcile(ledger, bookings, now=LATER) == 2

    [kept] = db.provider_ledgers.find_one({"_id": "hannah-brooks"})["busy"]
    assert (kept["b"], kept["r"]) == (booking["id"], 1)


def test_a_cancel_that_died_before_freeing_is_freed(client, book, db):
    booking = book()
    db.bookings.update_one({"_id": booking["id"]}, {"$set": {"status": "cancelled"}})
    reconcile(Ledger(db), BookingRepository(db), now=LATER)
    assert db.provider_ledgers.find_one({"_id": "hannah-brooks"})["busy"] == []


def test_thousands_of_old_entries_are_reconciled_in_bounded_batches(client, book, db):
    """Defect: one `$in` over every old entry ("Expression tree is too large") stopped the reconciler."""
    booking = book()
    start = datetime(2027, 1, 4, 15, tzinfo=timezone.utc)
    leftovers = [{"b": f"{n:032x}", "s": start + timedelta(hours=n), "e": start + timedelta(hours=n, minutes=50),
                  "r": 1, "at": datetime.now(timezone.utc)} for n in range(1200)]
    db.provider_ledgers.update_one({"_id": "mia-chen"}, {"$push": {"busy": {"$each": leftovers}}}, upsert=True)

    assert reconcile(Ledger(db), BookingRepository(db), now=LATER) == 1200
    assert db.provider_ledgers.find_one({"_id": "mia-chen"})["busy"] == []
    assert [e["b"] for e in db.provider_ledgers.find_one({"_id": "hannah-brooks"})["busy"]] == [booking["id"]]


def test_an_active_booking_missing_its_span_gets_it_back(client, book, db):
    """The ledger and the bookings agree both ways: a span lost for an active booking is restored."""
    booking = book()
    db.provider_ledgers.update_one({"_id": "hannah-brooks"}, {"$set": {"busy": []}})
    assert reconcile(Ledger(db), BookingRepository(db), now=datetime.now(timezone.utc)) == 0  # young: in flight
    reconcile(Ledger(db), BookingRepository(db), now=LATER)
    [restored] = db.provider_ledgers.find_one({"_id": "hannah-brooks"})["busy"]
    assert (restored["b"], restored["r"]) == (booking["id"], 1)
    assert client.post("/api/v1/bookings", json=_same_slot(booking)).status_code == 409


def _same_slot(booking: dict) -> dict:
    from .conftest import booking_body

    return booking_body(start=booking["start"], provider=booking["provider_id"], name="Other Patient")
