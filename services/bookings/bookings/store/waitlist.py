"""The waitlist repository: entries, each change stored with its event in one write (the outbox pattern).

An entry is also the schedule of its offer's expiry: `offer.expires_at` on an `offered` entry is a due
time, and whoever acts on it (the patient accepting, the sweep expiring it) does so with one
compare-and-set on the entry's version, so exactly one of them wins, whichever process or restart.

The questions asked of it are bounded and indexed: the candidates for a freed slot are one query on
(status, service_id, location_ids, joined_at), the oldest first, at most CANDIDATES of them in one batch.
"""
from __future__ import annotations

from datetime import datetime, timezone

from pymongo import ASCENDING
from pymongo.database import Database

from clinic_common.versioned import HIDDEN, VersionedCollection

from bookings.api.waitlist_schemas import entry_event, entry_view
from bookings.domain.waitlist import OFFERED, WAITING

COLLECTION = "waitlist"  # relayed: see config.OUTBOX_COLLECTIONS
CANDIDATES = 200  # read in one batch: one command whatever the list's length
LIST_LIMIT = 500


class WaitlistRepository(VersionedCollection):
    def __init__(self, db: Database):
        super().__init__(db[COLLECTION], "waitlist", entry_view, entry_event)

    @classmethod
    def connect(cls, db: Database) -> "WaitlistRepository":
        repo = cls(db)
        repo.ensure_indexes()
        # Matching's one question, and staff's list (status, service, location), oldest first.
        repo.coll.create_index([("status", ASCENDING), ("service_id", ASCENDING), ("location_ids", ASCENDING),
                                ("joined_at", ASCENDING), ("joined_seq", ASCENDING)])
        # The sweep's: offers due to expire, and accepts a request left half-way.
        repo.coll.create_index([("status", ASCENDING), ("offer.expires_at", ASCENDING)])
        repo.coll.create_index([("accepting", ASCENDING), ("updated_at", ASCENDING)], sparse=True)
        return repo

    def candidates(self, service_id: str, location_id: str, modality: str | None, provider_id: str | None,
                   local_day: str, languages: list[str] | None, states: list[str] | None,
                   limit: int = CANDIDATES) -> list[dict]:
        """Waiting entries a slot of this provider could suit, longest-waiting first: one command.

        The query narrows by what an index or a plain equality can say; the windows (and the rest,
        again) are judged in memory by domain/waitlist.py."""
        query: dict = {"status": WAITING, "service_id": service_id, "location_ids": location_id,
                       "until": {"$gte": local_day}}
        if modality is not None:
            query["modality"] = modality
        if provider_id is not None:
            query["provider_id"] = {"$in": [None, provider_id]}
        if languages is not None:
            query["language"] = {"$in": [None, *languages]}
        if states is not None:
            query["patient_state"] = {"$in": states}
        cursor = self.coll.find(query, HIDDEN).sort([("joined_at", ASCENDING), ("joined_seq", ASCENDING)])
        return list(cursor.limit(limit).batch_size(limit))

    def waiting_pairs(self, limit: int = 50) -> list[tuple[str, str]]:
        """(service_id, location_id) pairs somebody is waiting for: what a rescan looks at."""
        pipeline = [{"$match": {"status": WAITING}}, {"$unwind": "$location_ids"},
                    {"$group": {"_id": {"s": "$service_id", "l": "$location_ids"}}}, {"$limit": limit}]
        return [(row["_id"]["s"], row["_id"]["l"]) for row in self.coll.aggregate(pipeline)]

    def offers_due(self, now: datetime, limit: int = 200) -> list[dict]:
        """Offered entries whose offer ran out and that no accept is finishing."""
        query = {"status": OFFERED, "offer.expires_at": {"$lte": now}, "accepting": None}
        return list(self.coll.find(query, HIDDEN).sort("offer.expires_at", ASCENDING).limit(limit))

    def ended(self, today: str, limit: int = 200) -> list[dict]:
        """Waiting entries whose `until` has passed."""
        query = {"status": WAITING, "until": {"$lt": today}}
        return list(self.coll.find(query, HIDDEN).limit(limit))

    def accepting_before(self, before: datetime, limit: int = 100) -> list[dict]:
        """Accepts a request began and left (its process died) untouched since `before`."""
        query = {"accepting": {"$ne": None}, "updated_at": {"$lt": before}}
        return list(self.coll.find(query, HIDDEN).sort("updated_at", ASCENDING).limit(limit))

    def replace_quietly(self, current: dict, new: dict) -> dict | None:
        """Store `new` if `current` is still the stored version, with no event; None if it is not."""
        new = {**new, "_id": current["_id"], "version": current["version"] + 1, "updated_at": datetime.now(timezone.utc)}
        fields = {k: v for k, v in new.items() if k != "_id"}
        result = self.coll.update_one({"_id": current["_id"], "version": current["version"]}, {"$set": fields})
        return new if result.matched_count else None

    def find(self, filters: dict, limit: int = LIST_LIMIT) -> list[dict]:
        """Staff's list: equality filters (location_id matches any of an entry's locations), oldest first."""
        query = {k: v for k, v in (("status", filters.get("status")), ("service_id", filters.get("service_id")),
                                   ("location_ids", filters.get("location_id"))) if v is not None}
        return list(self.coll.find(query, HIDDEN).sort([("joined_at", ASCENDING), ("joined_seq", ASCENDING)]).limit(
            min(limit, LIST_LIMIT)))
