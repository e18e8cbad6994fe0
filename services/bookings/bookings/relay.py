"""`python -m bookings.relay`: publishes the bookings service's pending events to clinic.events,
and every few seconds frees ledger entries left by requests that died halfway (reconcile.py); series
left half-way are finished or undone (series_housekeeping.py)."""
import logging
import sys

from clinic_common.logs import log_failure
from clinic_common.runner import run_relay

from bookings.config import OUTBOX_COLLECTIONS, SERVICE
from bookings.reconcile import reconcile
from bookings.series_housekeeping import settle_series
from bookings.series_operations import Stores
from bookings.store.bookings import BookingRepository
from bookings.store.ledger import Ledger
from bookings.store.series import SeriesRepository


def housekeeping(db):
    ledger, bookings = Ledger(db), BookingRepository(db)
    series = Stores(series=SeriesRepository(db), bookings=bookings, ledger=ledger)

    def chores():
        try:
            settle_series(series)   # series left half-way: finished or undone (series_housekeeping.py)
        except Exception as exc:  # the reconciler still runs
            log_failure(logging.getLogger(__name__), "settling series left half-way failed", exc)
        reconcile(ledger, bookings)

    return chores


if __name__ == "__main__":
    sys.exit(run_relay(SERVICE, OUTBOX_COLLECTIONS, housekeeping))
