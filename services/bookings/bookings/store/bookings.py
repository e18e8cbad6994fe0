"""The bookings repository: booking documents, each change stored with its event in one write."""
from __future__ import annotations

from datetime import datetime

from pymongo import ASCENDING
from pymongo.database import Database

from clinic_common.versioned import HIDDEN, VersionedCollection

from bookings.events.messages import booking_event, booking_view
from bookings.domain.lifecycle import ACTIVE, CONFIRMED, REQUESTED

COLLECTION = "bookings"
LIST_LIMIT = 500
SCAN_LIMIT = 5000  # one location's bookings over the horizon, with room to spare


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

    def still_changeable(self, now: datetime, until: datetime, location_id: str | None = None,
                         provider_id: str | None = None, limit: int = SCAN_LIMIT) -> list[dict]:
        """Requested and confirmed bookings not yet ended that start before `until`, at a location and/or
        with a provider: what a schedule change may disrupt (disruption_operations.py), soonest first."""
        query = {"status": {"$in": [REQUESTED, CONFIRMED]}, "end": {"$gt": now}, "start": {"$lt": until}}
        query.update({k: v for k, v in (("location_id", location_id), ("provider_id", provider_id)) if v})
        return list(self.coll.find(query, HIDDEN).sort("start", ASCENDING).limit(limit))

    def find(self, filters: dict, limit: int = LIST_LIMIT) -> list[dict]:
        """Bookings matching equality `filters` plus an optional start range (`from`/`to` instants);
        `disrupted` True: active ones with a disruption, False: those without."""
        query = {k: v for k, v in filters.items() if k not in ("from", "to", "disrupted") and v is not None}
        if filters.get("disrupted") is not None:
            query["disruption"] = {"$ne": None} if filters["disrupted"] else None
            query.setdefault("status", {"$in": list(ACTIVE)})
        start = {op: filters[key] for key, op in (("from", "$gte"), ("to", "$lt")) if filters.get(key)}
        if start:
            query["start"] = start
        return list(self.coll.find(query, HIDDEN).sort("start", ASCENDING).limit(min(limit, LIST_LIMIT)))
