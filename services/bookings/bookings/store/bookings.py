"""The bookings repository: booking documents, each change stored with its event in one write."""
from __future__ import annotations

from datetime import datetime

from pymongo import ASCENDING
from pymongo.database import Database

from clinic_common.versioned import HIDDEN, VersionedCollection

from bookings.events.messages import booking_event, booking_view
from bookings.domain.lifecycle import ACTIVE

COLLECTION = "bookings"
LIST_LIMIT = 500


class BookingRepository(VersionedCollection):
    def __init__(self, db: Database):
        super().__init__(db[COLLECTION], "booking", booking_view, booking_event)

    @classmethod
    def connect(cls, db: Database) -> "BookingRepository":
        repo = cls(db)
        repo.ensure_indexes()
        repo.coll.create_index([("provider_id", ASCENDING), ("start", ASCENDING)])
        repo.coll.create_index([("location_id", ASCENDING), ("start", ASCENDING)])
        repo.coll.create_index([("status", ASCENDING), ("start", ASCENDING)])
        return repo

    def active_unchanged_since(self, before: datetime, now: datetime):
        """Active bookings still ahead (blocking time after `now`) unchanged since `before`: the
        reconciler checks each still holds its span. A cursor: read in batches, never all at once."""
        query = {"status": {"$in": list(ACTIVE)}, "blocked_until": {"$gt": now}, "updated_at": {"$lt": before}}
        fields = {"provider_id": 1, "status": 1, "start": 1, "blocked_until": 1, "slot_rev": 1}
        return self.coll.find(query, fields).batch_size(200)

    def find(self, filters: dict, limit: int = LIST_LIMIT) -> list[dict]:
        """Bookings matching equality `filters` plus an optional start range (`from`/`to` instants)."""
        query = {k: v for k, v in filters.items() if k not in ("from", "to") and v is not None}
        start = {op: filters[key] for key, op in (("from", "$gte"), ("to", "$lt")) if filters.get(key)}
        if start:
            query["start"] = start
        return list(self.coll.find(query, HIDDEN).sort("start", ASCENDING).limit(min(limit, LIST_LIMIT)))
