"""Housekeeping for series, run by the bookings relay before the ledger's (relay.py): a series a
request left half-way is finished or undone, so the patient never has bookings without their
confirmation, nor an `accept: all` series half-booked.

A series is judged once it is older than GRACE, which is longer than a create may take
(series_operations.DEADLINE_S) and shorter than the reconciler's grace, so a series is settled
within about a minute of its request dying:
- pending, with its bookings stored (every one, or any for `accept: available`): finished, i.e.
  made active with its `series.created` event, the patient's confirmation;
- pending otherwise: undone: its stored bookings cancelled (`cancelled_with_series`), its claims
  freed, the series `failed` (no event: the patient never heard of it);
- a cancel under way: finished (series_operations.finish_cancel).
Each step is safe to repeat, so a housekeeper that dies half-way is simply run again.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

from bookings.domain.series import AVAILABLE, FAILED, PENDING
from bookings.series_operations import Stores, activate, cancel_occurrence, finish_cancel

log = logging.getLogger(__name__)
GRACE = timedelta(seconds=30)


def settle_series(stores: Stores, now: datetime | None = None, grace: timedelta = GRACE) -> int:
    """Finish or undo every series left half-way; returns how many were settled."""
    now = now or datetime.now(timezone.utc)
    settled = 0
    for series in stores.series.stuck(now - grace):
        if series["status"] == PENDING:
            _settle_pending(stores, series)
        else:
            finish_cancel(stores, series, now)
        log.warning("series left half-way settled", extra={"series_id": series["_id"], "status": series["status"]})
        settled += 1
    return settled


def _settle_pending(stores: Stores, series: dict) -> None:
    ids = [o["booking_id"] for o in series["occurrences"]]
    found = stores.bookings.get_many(ids)
    undoing = any(b.get("cancelled_with_series") for b in found.values())  # an undo that died half-way
    if found and not undoing and (series["accept"] == AVAILABLE or len(found) == len(ids)):
        activate(stores, series, [found[i] for i in ids if i in found])
        return
    for booking_id in found:
        cancel_occurrence(stores, booking_id, "the series could not be completed")
    for occurrence in series["occurrences"]:   # claims whose booking never got stored (the reconciler would too)
        stores.ledger.release(series["provider_id"], occurrence["booking_id"])
    stores.series.replace_quietly(series, {**series, "status": FAILED})
