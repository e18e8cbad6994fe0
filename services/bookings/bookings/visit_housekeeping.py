"""Settling combined visits left pending by a request that died or stalled (visit_operations.py).

Run by the bookings relay every few seconds, before the ledger's reconciler (relay.py). A visit
pending for longer than SETTLE_AFTER is settled by the step it reached:

- `claiming` (no part booking can exist yet): forget the visit, then free its parts' spans;
- `storing` with every part's span still held: store the parts not stored yet and mark it booked;
- `storing` with a span missing: cancel it, cancel the parts that were stored, free the spans.

A booked visit whose cancel was noted but not finished for as long (its request died among the parts)
is finished: visit_operations.finish_cancel, which is safe to repeat; counted as "finished".

Each settlement starts with a compare-and-set on the visit's step, so a slow request and the
housekeeping never both act on one step. SETTLE_AFTER is shorter than the reconciler's grace:
a pending visit's spans are settled here before the reconciler would judge them as leftovers
(whose bookings do not exist). Were the reconciler to free them first anyway, the visit is undone.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

from bookings.domain.errors import ChangedMeanwhile
from bookings.domain.lifecycle import TRANSITIONS, next_status
from bookings.domain.visits import CLAIMING, UNDONE_REASON, booking_ids
from bookings.reconcile import GRACE
from bookings.store.visits import store_parts
from bookings.visit_operations import finish_cancel

log = logging.getLogger(__name__)
SETTLE_AFTER = timedelta(seconds=30)
assert SETTLE_AFTER < GRACE, "a pending visit must be settled before the reconciler judges its spans"


def settle_pending_visits(visits, bookings, ledger, now: datetime | None = None,
                          after: timedelta = SETTLE_AFTER, store=store_parts) -> dict[str, int]:
    """Settle every visit pending, or with a cancel noted, since before `now - after`; how many were
    finished and undone."""
    now = now or datetime.now(timezone.utc)
    outcomes = {"finished": 0, "undone": 0}
    for visit in visits.pending_before(now - after):
        outcome = settle_visit(visits, bookings, ledger, visit, store)
        if outcome:
            outcomes[outcome] += 1
            log.warning("pending combined visit settled", extra={"visit_id": visit["_id"], "outcome": outcome})
    for visit in visits.cancelling_before(now - after):
        try:
            finish_cancel(visits, bookings, ledger, visit)
        except ChangedMeanwhile:
            continue  # changed since it was read: the next round looks again
        outcomes["finished"] += 1
        log.warning("half-done cancel of a combined visit finished", extra={"visit_id": visit["_id"]})
    return outcomes


def settle_visit(visits, bookings, ledger, visit: dict, store=store_parts) -> str | None:
    """"finished", "undone", or None when someone else settled it first."""
    if visit.get("step") == CLAIMING:
        if not visits.discard(visit["_id"]):
            return None
        _free(ledger, visit)
        return "undone"
    places = [(p["provider_id"], p["booking_id"], p["start"]) for p in visit["parts"]]
    if ledger.holds(places) == set(places):
        stored = store(bookings, visit["plan"])
        return "finished" if visits.mark_booked(visit, stored) is not None else None
    if not visits.mark_cancelled(visit["_id"]):
        return None
    _cancel_stored_parts(bookings, visit)
    _free(ledger, visit)
    return "undone"


def _cancel_stored_parts(bookings, visit: dict) -> None:
    for booking in bookings.get_many(booking_ids(visit)).values():
        if booking["status"] in TRANSITIONS["cancel"][0]:  # nobody checks in to a visit still pending
            # Marked as the visit's: its creation was to be told by visit.booked, which never came, so its
            # cancellation must not be told either (notifications sends nothing for cancelled_with_visit).
            bookings.change(booking["_id"], lambda doc: {**doc, "status": next_status("cancel", doc["status"]),
                                                        "cancel_reason": UNDONE_REASON, "cancelled_with_visit": True},
                            event_type="booking.cancelled")


def _free(ledger, visit: dict) -> None:
    for part in visit["parts"]:
        ledger.release(part["provider_id"], part["booking_id"])
