"""The provider ledger: what keeps two bookings of one provider from ever overlapping.

One document per provider lists the spans its active bookings block (visit + buffer).
Taking a span is a single conditional update that matches only while no listed span
overlaps it, so of two racing requests the datastore lets exactly one through, whatever
their lengths; the loser matches nothing and gets 409. A reschedule moves a span in the
A reschedule first adds the new span (ignoring the booking's own spans), then switches the
booking, then drops the superseded span: a crash anywhere leaves the ledger blocking too
much for a moment, never too little. Each entry carries its booking's `slot_rev`, so the
reconciler can tell a current entry from a leftover (see reconcile.py).
"""
from __future__ import annotations

from datetime import datetime, timezone

from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from bookings.domain.slots import Span

COLLECTION = "provider_ledgers"


def _overlapping(span: Span, other_than: str) -> dict:
    return {"$elemMatch": {"s": {"$lt": span.end}, "e": {"$gt": span.start}, "b": {"$ne": other_than}}}


def _entry(booking_id: str, span: Span, slot_rev: int, visit_id: str | None = None) -> dict:
    entry = {"b": booking_id, "s": span.start, "e": span.end, "r": slot_rev, "at": datetime.now(timezone.utc)}
    if visit_id:  # a combined visit's part: its visit's housekeeping settles it (visit_housekeeping.py)
        entry["v"] = visit_id
    return entry


class Ledger:
    def __init__(self, db: Database):
        self.coll: Collection = db[COLLECTION]

    def claim(self, provider_id: str, booking_id: str, span: Span, slot_rev: int = 1,
              visit_id: str | None = None) -> bool:
        """Take `span` for the booking; False when a span of another booking of the provider overlaps it."""
        query = {"_id": provider_id, "busy": {"$not": _overlapping(span, booking_id)}}
        entry = _entry(booking_id, span, slot_rev, visit_id)
        for _ in range(2):  # the first try may lose a race to create the provider's document
            try:
                self.coll.update_one(query, {"$push": {"busy": entry}}, upsert=True)
                return True
            except DuplicateKeyError:
                continue  # the document exists and overlaps (or was just created): look again
        return False

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
        for doc in self.coll.find({"_id": {"$in": provider_ids}}):
            spans[doc["_id"]] = [Span(e["s"], e["e"]) for e in doc.get("busy", [])
                                 if e["s"] < within.end and e["e"] > within.start]
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
                if e.get("r") == 1 and (doc["_id"], e["b"], e["s"]) in wanted}

    def by_provider(self):
        """(provider_id, entries), one provider's ledger at a time: the reconciler's input."""
        for doc in self.coll.find({}, {"busy": 1}):
            yield doc["_id"], doc.get("busy", [])

    def prune_before(self, cutoff: datetime) -> None:
        """Spans that ended before `cutoff` can no longer clash with anything bookable."""
        self.coll.update_many({"busy.e": {"$lt": cutoff}}, {"$pull": {"busy": {"e": {"$lt": cutoff}}}})
