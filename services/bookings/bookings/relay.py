"""`python -m bookings.relay`: publishes the bookings service's pending events to clinic.events,
and every few seconds settles combined visits left pending (visit_housekeeping.py) and frees ledger
entries left by requests that died halfway (reconcile.py); series left half-way are finished or
undone (series_housekeeping.py); waitlist offers that ran out go to the next match, and free time is
rescanned for those waiting (waitlist_housekeeping.py)."""
import logging
import sys

from clinic_common.logs import log_failure
from clinic_common.runner import run_relay

from bookings.config import OUTBOX_COLLECTIONS, SERVICE, load_booking_settings
from bookings.reconcile import reconcile
from bookings.series_housekeeping import settle_series
from bookings.series_operations import Stores
from bookings.store.bookings import BookingRepository
from bookings.store.ledger import Ledger
from bookings.store.series import SeriesRepository
from bookings.store.visits import VisitRepository
from bookings.visit_housekeeping import settle_pending_visits
from bookings.waitlist_housekeeping import relay_chore


def housekeeping(db, settings=None):
    """`settings` (the relay's own when run as `python -m bookings.relay`): without them the waitlist's
    chores, which ask locations about schedules, do not run."""
    ledger, bookings, visits = Ledger(db), BookingRepository(db), VisitRepository(db)
    waitlist = relay_chore(db, settings)
    series = Stores(series=SeriesRepository(db), bookings=bookings, ledger=ledger)

    def chores():
        # Visits first: a pending visit's spans are settled before the reconciler judges them.
        try:
            settle_pending_visits(visits, bookings, ledger)
        except Exception as exc:  # the reconciler still runs; what it frees, the next settle undoes
            log_failure(logging.getLogger(__name__), "settling pending combined visits failed", exc)
        try:
            settle_series(series)   # series left half-way: finished or undone (series_housekeeping.py)
        except Exception as exc:  # likewise: the reconciler still runs
            log_failure(logging.getLogger(__name__), "settling series left half-way failed", exc)
        try:
            waitlist()  # offers that ran out, entries past `until`, stalled accepts, rescans
        except Exception as exc:  # the reconciler still runs
            log_failure(logging.getLogger(__name__), "waitlist housekeeping failed", exc)
        reconcile(ledger, bookings)

    return chores


if __name__ == "__main__":
    sys.exit(run_relay(SERVICE, OUTBOX_COLLECTIONS, lambda db: housekeeping(db, load_booking_settings())))
