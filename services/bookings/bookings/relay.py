"""`python -m bookings.relay`: publishes the bookings service's pending events to clinic.events,
and every few seconds frees ledger entries left by requests that died halfway (reconcile.py)."""
import sys

from clinic_common.runner import run_relay

from bookings.config import OUTBOX_COLLECTIONS, SERVICE
from bookings.reconcile import reconcile
from bookings.store.bookings import BookingRepository
from bookings.store.ledger import Ledger


def housekeeping(db):
    ledger, bookings = Ledger(db), BookingRepository(db)
    return lambda: reconcile(ledger, bookings)


if __name__ == "__main__":
    sys.exit(run_relay(SERVICE, OUTBOX_COLLECTIONS, housekeeping))
