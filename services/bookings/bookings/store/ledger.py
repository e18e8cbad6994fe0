"""The provider ledger: what keeps two bookings of one provider from ever overlapping.

One document per provider lists the spans its active bookings block (visit + buffer).
Taking a span is a single conditional update that matches only while no listed span
overlaps it, so of two racing requests the datastore lets exactly one through, whatever
their lengths; the loser matches nothing and gets 409. A reschedule moves a span in the
A reschedule first adds the new span (ignoring the booking's own spans), then switches the
booking, then drops the superseded span: a crash anywhere leaves the ledger blocking too
much for a moment, never too little. Each entry carries its booking's `slot_rev`, so the
reconciler can tell a current entry from a leftover (see reconcile.py).

Holds (docs/holds.md): an entry with `x` (expires_at) is a hold, its `b` the hold's id. Once
`x` <= now it no longer counts: every claim's overlap condition and `busy()` ignore it, so an
expired hold is free at once, with no cleanup job (the reconciler prunes it later). Entries
without `x` (bookings, and every entry of older ledgers) always count. `claim_held` turns a
live hold into its booking: push the booking's entry while the hold is live, then pull the hold.

"Live" is written `x: {$not: {$lte: now}}` (no `x`, or `x` later than now) rather than an `$or`
inside `$elemMatch`: both are MongoDB-7 queries, but the datastore emulator (mongoeco) refuses
`$or` inside `$elemMatch` ("cannot mix operator and field conditions").
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from bookings.domain.slots import Span

COLLECTION = "provider_ledgers"


def _live(now: datetime) -> dict:
    """An entry that still counts: a booking's (no `x`) or a hold not yet expired."""
    return {"$not": {"$lte": now}}


def _overlapping(span: Span, other_than: list[str], now: datetime) -> dict:
    return {"$elemMatch": {"s": {"$lt": span.end}, "e": {"$gt": span.start}, "b": {"$nin": other_than},
                           "x": _live(now)}}


def _entry(booking_id: str, span: Span, slot_rev: int, visit_id: str | None = None,
           expires_at: datetime | None = None) -> dict:
    entry = {"b": booking_id, "s": span.start, "e": span.end, "r": slot_rev, "at": datetime.now(timezone.utc)}
    if visit_id:  # a combined visit's part: its visit's housekeeping settles it (visit_housekeeping.py)
        entry["v"] = visit_id
    if expires_at is not None:  # a hold: counts only until then
        entry["x"] = expires_at
    return entry


def counts(entry: dict, now: datetime) -> bool:
    """Whether a ledger entry still blocks its span (bookings always; holds until they expire)."""
    return "x" not in entry or entry["x"] > now


def is_hold(entry: dict) -> bool:
    return "x" in entry


class Ledger:
    def __init__(self, db: Database, clock: Callable[[], datetime] | None = None):
        self.coll: Collection = db[COLLECTION]
        self.now = clock or (lambda: datetime.now(timezone.utc))  # what a hold's expiry is compared with

    def claim(self, provider_id: str, owner_id: str, span: Span, slot_rev: int = 1,
              visit_id: str | None = None, *, expires_at: datetime | None = None) -> bool:
        """Take `span` for the booking (or, with `expires_at`, the hold) `owner_id`; False when a live
        span of another owner at the provider overlaps it."""
        query = {"_id": provider_id, "busy": {"$not": _overlapping(span, [owner_id], self.now())}}
        entry = _entry(owner_id, span, slot_rev, visit_id, expires_at)
        for _ in range(2):  # the first try may lose a race to create the provider's document
            try:
                self.coll.update_one(query, {"$push": {"busy": entry}}, upsert=True)
                return True
            except DuplicateKeyError:
                continue  # the document exists and overlaps (or was just created): look again
        return False

    def claim_held(self, provider_id: str, booking_id: str, span: Span, hold_id: str, slot_rev: int = 1) -> bool:
        """Book exactly the held span: push the booking's entry only while the hold's entry is live and no
        other live entry overlaps, then pull the hold's. False when the hold ran out (or was released).
        A crash between the two writes leaves a hold that expires on its own (the booking blocks the same time)."""
        now = self.now()
        query = {"_id": provider_id, "$and": [
            {"busy": {"$elemMatch": {"b": hold_id, "x": {"$gt": now}}}},
            {"busy": {"$not": _overlapping(span, [hold_id, booking_id], now)}}]}
        taken = self.coll.update_one(query, {"$push": {"busy": _entry(booking_id, span, slot_rev)}}).modified_count == 1
        if taken:
            self.release_hold(provider_id, hold_id)
        return taken

    def release_hold(self, provider_id: str, hold_id: str) -> None:
        """Let a hold go (its entry only: a booking's entry never has `x`)."""
        self.coll.update_one({"_id": provider_id}, {"$pull": {"busy": {"b": hold_id, "x": {"$exists": True}}}})

    def release(self, provider_id: str, booking_id: str) -> None:
        """Free every span the booking holds with this provider (it was cancelled or ended)."""
        self.coll.update_one({"_id": provider_id}, {"$pull": {"busy": {"b": booking_id}}})

    def release_superseded(self, provider_id: str, booking_id: str, slot_rev: int) -> None:
        """Free the booking's spans from before its move to `slot_rev`."""
        self.coll.update_one({"_id": provider_id}, {"$pull": {"busy": {"b": booking_id, "r": {"$lt": slot_rev}}}})

    def release_entry(self, provider_id: str, booking_id: str, slot_rev: int, start) -> None:
        """Free exactly one span: a move that did not go through, or a reconciled leftover."""
        self.coll.update_one({"_id": provider_id}, {"$pull": {"busy": {"b": booking_id, "r": slot_rev, "s": start}}})

    def busy(self, provider_ids: list[str], within: Span) -> dict[str, list[Span]]:
        """Every provider's blocked spans that touch `within`: one query for any number of providers."""
        spans: dict[str, list[Span]] = {pid: [] for pid in provider_ids}
        now = self.now()
        for doc in self.coll.find({"_id": {"$in": provider_ids}}):
            spans[doc["_id"]] = [Span(e["s"], e["e"]) for e in doc.get("busy", [])
                                 if e["s"] < within.end and e["e"] > within.start and counts(e, now)]
        return spans

    def release_old(self, provider_id: str, booking_ids: list[str], before: datetime) -> None:
        """Free the spans of `booking_ids` taken before `before` (younger ones may be a retry in flight)."""
        if booking_ids:
            self.coll.update_one({"_id": provider_id},
                                 {"$pull": {"busy": {"b": {"$in": booking_ids}, "at": {"$lt": before}}}})

    def holds(self, places: list[tuple[str, str, datetime]]) -> set[tuple[str, str, datetime]]:
        """Which of these (provider_id, booking_id, start) first-placed spans the ledger still holds: one query."""
        wanted = set(places)
        found = self.coll.find({"_id": {"$in": sorted({p for p, _, _ in places})}}, {"busy": 1})
        return {(doc["_id"], e["b"], e["s"]) for doc in found for e in doc.get("busy", [])
                if e.get("r") == 1 and "x" not in e and (doc["_id"], e["b"], e["s"]) in wanted}

    def by_provider(self):
        """(provider_id, entries), one provider's ledger at a time: the reconciler's input."""
        for doc in self.coll.find({}, {"busy": 1}):
            yield doc["_id"], doc.get("busy", [])

    def prune_before(self, cutoff: datetime) -> None:
        """Spans that ended before `cutoff` can no longer clash with anything bookable."""
        self.coll.update_many({"busy.e": {"$lt": cutoff}}, {"$pull": {"busy": {"e": {"$lt": cutoff}}}})

    def prune_expired_holds(self, now: datetime) -> None:
        """Hold entries expired at `now` no longer count; this only tidies them away."""
        self.coll.update_many({"busy.x": {"$lte": now}}, {"$pull": {"busy": {"x": {"$lte": now}}}})
