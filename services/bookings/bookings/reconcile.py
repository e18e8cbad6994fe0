"""Housekeeping for the ledger, run by the bookings relay every few seconds.

A ledger entry is current when its booking exists, is active, and is at that provider, start
and slot_rev. Anything else older than a grace period is a leftover of a request that died
halfway (a claim whose booking was never stored, a move that never switched, a cancel that
never freed) and is removed. Entries whose visit ended more than a day ago are pruned.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

from bookings.domain.lifecycle import ACTIVE

log = logging.getLogger(__name__)
GRACE = timedelta(seconds=60)
KEEP_PAST = timedelta(days=1)


def is_current(provider_id: str, entry: dict, booking: dict | None) -> bool:
    return (booking is not None and booking["status"] in ACTIVE and booking["provider_id"] == provider_id
            and booking["slot_rev"] == entry["r"] and booking["start"] == entry["s"])


def reconcile(ledger, bookings, now: datetime | None = None, grace: timedelta = GRACE) -> int:
    """Remove leftover entries; returns how many. Young entries may belong to requests in flight."""
    now = now or datetime.now(timezone.utc)
    old = [(pid, e) for pid, e in ledger.all_entries() if e["at"] < now - grace]
    known = bookings.get_many({e["b"] for _, e in old})
    removed = 0
    for provider_id, entry in old:
        if not is_current(provider_id, entry, known.get(entry["b"])):
            ledger.release_entry(provider_id, entry["b"], entry["r"], entry["s"])
            log.warning("ledger leftover removed", extra={"booking_id": entry["b"], "provider_id": provider_id})
            removed += 1
    ledger.prune_before(now - KEEP_PAST)
    return removed
