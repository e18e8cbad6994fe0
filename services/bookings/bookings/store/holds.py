"""Hold documents and the per-client count of live holds.

A hold's document keeps its slot, its token's hash, its client and how it ended (`released_at`,
`used_by`); the ledger entry (store/ledger.py) is what actually keeps the time. Documents are
deleted by a TTL index KEEP after they expire.

The count of live holds per client is enforced by the datastore: a client has HOLDS_PER_CLIENT
numbered places (`<client>|0`, `<client>|1`, ...); a hold takes a place whose `until` has passed
(or one never used) with a single upsert, and a live place makes the upsert collide on its id. Of
racing holds from one client, at most HOLDS_PER_CLIENT get a place.

Waitlist hook: `ended_unused(since, now)` lists the holds that ended without becoming a booking
(expired, or let go) in (since, now], oldest end first: a slot that may have come free.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from pymongo import ASCENDING
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

COLLECTION = "holds"
PLACES = "hold_client_places"
KEEP = timedelta(days=1)  # how long a hold's document outlives its expiry (the waitlist hook reads it)


class HoldRepository:
    def __init__(self, db: Database):
        self.coll = db[COLLECTION]
        self.places = db[PLACES]

    @classmethod
    def connect(cls, db: Database) -> "HoldRepository":
        repo = cls(db)
        repo.coll.create_index([("expires_at", ASCENDING)], expireAfterSeconds=int(KEEP.total_seconds()))
        repo.coll.create_index([("ends_at", ASCENDING)])
        repo.places.create_index([("until", ASCENDING)], expireAfterSeconds=int(KEEP.total_seconds()))
        return repo

    # The client's places ---------------------------------------------------------------------
    def take_place(self, client: str, hold_id: str, until: datetime, now: datetime, limit: int) -> str | None:
        """One of the client's `limit` places for a hold living until `until` (its id); None when all are live."""
        for number in range(limit):
            place = f"{client}|{number}"
            try:
                self.places.update_one({"_id": place, "until": {"$lte": now}},
                                       {"$set": {"until": until, "hold": hold_id}}, upsert=True)
                return place
            except DuplicateKeyError:
                continue  # that place is live (or was just taken): the next
        return None

    def free_place(self, place: str, hold_id: str, now: datetime) -> None:
        """The hold no longer lives: its place is free (unless another hold has it by now)."""
        self.places.update_one({"_id": place, "hold": hold_id}, {"$set": {"until": now}})

    # Hold documents ----------------------------------------------------------------------------
    def create(self, doc: dict) -> dict:
        self.coll.insert_one(doc)
        return doc

    def get(self, hold_id: str) -> dict | None:
        return self.coll.find_one({"_id": hold_id})

    def mark_released(self, hold_id: str, now: datetime) -> None:
        """Let go before it ran out: it ends now (a hold already used, let go or expired keeps its ending)."""
        self.coll.update_one({"_id": hold_id, "used_by": None, "released_at": None, "expires_at": {"$gt": now}},
                             {"$set": {"released_at": now, "ends_at": now}})

    def mark_used(self, hold_id: str, booking_id: str) -> None:
        self.coll.update_one({"_id": hold_id, "used_by": None}, {"$set": {"used_by": booking_id}})

    def ended_unused(self, since: datetime, now: datetime, limit: int = 500) -> list[dict]:
        """The waitlist's hook: holds that ended unused (expired or let go) in (since, now], oldest end first.

        Each has the slot it kept (provider_id, location_id, service_id, modality, start, end,
        blocked_until). A hold whose booking was stored but not yet marked (a crash in between) may
        show here: the ledger still refuses its time, so an offer of it simply loses its claim."""
        found = self.coll.find({"ends_at": {"$gt": since, "$lte": now}, "used_by": None},
                               {"token_hash": 0, "client": 0})
        return list(found.sort([("ends_at", ASCENDING), ("_id", ASCENDING)]).limit(limit))
