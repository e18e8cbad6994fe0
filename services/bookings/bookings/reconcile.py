"""Housekeeping for the ledger, run by the bookings relay every few seconds: the ledger and the
bookings agree both ways.

A ledger entry is current when its booking exists, is active, and is at that provider, start
and slot_rev. Anything else older than a grace period is a leftover of a request that died
halfway (a claim whose booking was never stored, a move that never switched, a cancel that
never freed) and is removed. An active booking older than the grace period whose current span
is missing from the ledger gets it back. Entries whose visit ended more than a day ago are pruned.

Hold entries (with `x`, see store/ledger.py and docs/holds.md) are not a booking's: a live hold is
never judged a leftover; an expired one already counts for nothing and is pruned here.

Work goes in bounded batches (a provider's ledger at a time, at most BATCH bookings per query):
the datastore refuses a query that names thousands of ids at once.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

from bookings.domain.lifecycle import ACTIVE
from bookings.domain.slots import Span
from bookings.store.ledger import is_hold

log = logging.getLogger(__name__)
GRACE = timedelta(seconds=60)
KEEP_PAST = timedelta(days=1)
BATCH = 200


def is_current(provider_id: str, entry: dict, booking: dict | None) -> bool:
    return (booking is not None and booking["status"] in ACTIVE and booking["provider_id"] == provider_id
            and booking["slot_rev"] == entry["r"] and booking["start"] == entry["s"])


def reconcile(ledger, bookings, now: datetime | None = None, grace: timedelta = GRACE) -> int:
    """Remove leftover entries and restore missing ones; returns how many leftovers went."""
    now = now or datetime.now(timezone.utc)
    cutoff = now - grace
    ledgers = dict(ledger.by_provider())  # read once: both passes judge from it
    removed = sum(_free_leftovers(ledger, bookings, provider_id, entries, cutoff)
                  for provider_id, entries in ledgers.items())
    _restore_missing(ledger, bookings, ledgers, now, cutoff)
    ledger.prune_before(now - KEEP_PAST)
    ledger.prune_expired_holds(now)
    return removed


def _batches(items: list, size: int = BATCH):
    for first in range(0, len(items), size):
        yield items[first:first + size]


def _free_leftovers(ledger, bookings, provider_id: str, entries: list[dict], cutoff: datetime) -> int:
    """Young entries may belong to requests in flight: only those older than `cutoff` are judged."""
    removed = 0
    for batch in _batches([e for e in entries if e["at"] < cutoff and not is_hold(e)]):
        known = bookings.get_many({e["b"] for e in batch})
        leftovers = [e for e in batch if not is_current(provider_id, e, known.get(e["b"]))]
        gone = {e["b"] for e in leftovers if e["b"] not in known or known[e["b"]]["status"] not in ACTIVE}
        ledger.release_old(provider_id, sorted(gone), cutoff)  # every old span of those: one write
        for entry in leftovers:
            if entry["b"] not in gone:  # an active booking's superseded span (a move that never switched)
                ledger.release_entry(provider_id, entry["b"], entry["r"], entry["s"])
            log.warning("ledger leftover removed", extra={"booking_id": entry["b"], "provider_id": provider_id})
        removed += len(leftovers)
    return removed


def _restore_missing(ledger, bookings, ledgers: dict, now: datetime, cutoff: datetime) -> None:
    """`ledgers` as read before the leftovers went: what went was not current, so it changes no verdict here."""
    for booking in bookings.active_unchanged_since(cutoff, now):
        held = ledgers.get(booking["provider_id"], [])
        if any(is_current(booking["provider_id"], entry, booking) for entry in held):
            continue
        span = Span(booking["start"], booking["blocked_until"])
        restored = ledger.claim(booking["provider_id"], booking["_id"], span, booking["slot_rev"])
        level = logging.WARNING if restored else logging.ERROR  # not restored: it overlaps another booking
        log.log(level, "ledger span of an active booking was missing" + ("; restored" if restored else
                "; it overlaps another booking, staff must move one"),
                extra={"booking_id": booking["_id"], "provider_id": booking["provider_id"]})
