"""The locations repository."""
from __future__ import annotations

from pymongo import ASCENDING
from pymongo.database import Database

from clinic_common.messaging.outbox import OUTBOX, ensure_outbox_index

COLLECTION = "locations"


class LocationRepository:
    def __init__(self, db: Database):
        self._coll = db[COLLECTION]

    @classmethod
    def connect(cls, db: Database) -> "LocationRepository":
        repo = cls(db)
        ensure_outbox_index(repo._coll)
        repo._coll.create_index([("name", ASCENDING)])
        return repo

    def list(self) -> list[dict]:
        return [_view(doc) for doc in self._coll.find({"active": {"$ne": False}}, {OUTBOX: 0}).sort("name", ASCENDING)]

    def get(self, location_id: str) -> dict | None:
        doc = self._coll.find_one({"_id": location_id}, {OUTBOX: 0})
        return _view(doc) if doc else None


def _view(doc: dict) -> dict:
    return {"id": doc.pop("_id"), **doc}
