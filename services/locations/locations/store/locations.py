"""Locations, with their weekly hours and closures in one document (one read gives a day's hours)."""
from __future__ import annotations

from datetime import date

from pymongo import ASCENDING
from pymongo.database import Database

from clinic_common.versioned import VersionedCollection

COLLECTION = "locations"


def to_view(doc: dict) -> dict:
    """The location as the API and its events show it (dates as ISO strings, JSON-ready)."""
    view = {k: v for k, v in doc.items() if k not in ("_id", "outbox", "created_at", "updated_at", "version")}
    view["id"] = doc["_id"]
    view["closures"] = [closure_view(c) for c in doc.get("closures", [])]
    return view


def closure_view(closure: dict) -> dict:
    return {"id": closure["id"], "from": closure["from"], "to": closure["to"], "reason": closure.get("reason"),
            "intervals": closure.get("intervals"), "provider_ids": closure.get("provider_ids", [])}


def closures_for_domain(doc: dict) -> list[dict]:
    """Stored closures keep ISO date strings (BSON has no date type); the rules want dates."""
    return [{**c, "from": date.fromisoformat(c["from"]), "to": date.fromisoformat(c["to"])}
            for c in doc.get("closures", [])]


class LocationRepository(VersionedCollection):
    def __init__(self, db: Database):
        super().__init__(db[COLLECTION], "location", to_view)

    @classmethod
    def connect(cls, db: Database) -> "LocationRepository":
        repo = cls(db)
        repo.ensure_indexes()
        repo.coll.create_index([("name", ASCENDING)])
        return repo

    def is_empty(self) -> bool:
        return self.coll.find_one({}, {"_id": 1}) is None
