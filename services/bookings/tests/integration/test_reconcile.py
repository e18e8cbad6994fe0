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
