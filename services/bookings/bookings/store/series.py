"""The series repository: a series document, each announced change stored with its event in one write.

A series is written `pending` with no event (nothing has happened yet that anyone should hear
of); it becomes `active` together with its `series.created` event, so the patient's confirmation
exists exactly when the series does. Steps that must not be announced (pending, cancelling) are
compare-and-set writes without an event. Its occurrences' bookings are stored with one
insert_many (`insert_bookings`), each with its own booking event, as a single booking would be.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone

from pymongo import ASCENDING
from pymongo.database import Database

from clinic_common.events import Event
from clinic_common.logs import current_request_id, log_failure
from clinic_common.messaging.outbox import OUTBOX
from clinic_common.versioned import HIDDEN, VersionedCollection

from bookings.domain.series import PENDING
from bookings.api.series_schemas import series_event, series_view
from bookings.events.messages import booking_event

log = logging.getLogger(__name__)
COLLECTION = "series"  # relayed: see config.OUTBOX_COLLECTIONS


class SeriesRepository(VersionedCollection):
    def __init__(self, db: Database):
        super().__init__(db[COLLECTION], "series", series_view, series_event)

    @classmethod
    def connect(cls, db: Database) -> "SeriesRepository":
        repo = cls(db)
        repo.ensure_indexes()
        repo.coll.create_index([("status", ASCENDING), ("updated_at", ASCENDING)])
        repo.coll.create_index([("cancelling", ASCENDING), ("updated_at", ASCENDING)], sparse=True)
        return repo

    def create_pending(self, doc: dict) -> dict:
        """Insert a new series, pending, with no event."""
        now = datetime.now(timezone.utc)
        doc = {**doc, "version": 1, "created_at": now, "updated_at": now}
        self.coll.insert_one({**doc, OUTBOX: []})
        return doc

    def replace_quietly(self, current: dict, new: dict) -> dict | None:
        """Store `new` if `current` is still the stored version, with no event; None if it is not."""
        new = {**new, "_id": current["_id"], "version": current["version"] + 1, "updated_at": datetime.now(timezone.utc)}
        fields = {k: v for k, v in new.items() if k != "_id"}
        result = self.coll.update_one({"_id": current["_id"], "version": current["version"]}, {"$set": fields})
        return new if result.matched_count else None

    def stuck(self, before: datetime, limit: int = 100) -> list[dict]:
        """Series a request left half-way (pending, or a cancel under way) and untouched since `before`."""
        query = {"$or": [{"status": PENDING}, {"cancelling": {"$ne": None}}], "updated_at": {"$lt": before}}
        return list(self.coll.find(query, HIDDEN).sort("updated_at", ASCENDING).limit(limit))


def insert_bookings(bookings: VersionedCollection, docs: list[dict], event_type_of) -> list[dict]:
    """Store the occurrences' bookings with one insert_many, each carrying its own booking event
    (what VersionedCollection.create writes for one booking), then hand them to the fast lane."""
    now = datetime.now(timezone.utc)
    stored, rows = [], []
    for doc in docs:
        doc = {**doc, "version": 1, "created_at": now, "updated_at": now}
        entry = Event(type=event_type_of(doc), data=booking_event(doc, event_type_of(doc)),
                      request_id=current_request_id()).to_outbox()
        stored.append((doc, entry))
        rows.append({**doc, OUTBOX: [entry]})
    if rows:
        bookings.coll.insert_many(rows, ordered=True)
    for doc, entry in stored:
        _hand_over(bookings, doc["_id"], entry)
    return [doc for doc, _ in stored]


def _hand_over(repository: VersionedCollection, doc_id: str, entry: dict) -> None:
    """The fast lane, when the repository has one; after the commit nothing may fail the caller."""
    if repository.after_commit is None:
        return
    try:
        repository.after_commit(repository.coll, doc_id, [entry])
    except Exception as exc:
        log_failure(log, "after-commit hook failed; the relay publishes", exc)
