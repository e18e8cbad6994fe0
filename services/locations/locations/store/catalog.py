"""Services (visit types) and providers."""
from __future__ import annotations

from pymongo import ASCENDING
from pymongo.database import Database

from clinic_common.versioned import HIDDEN, VersionedCollection


def plain_view(doc: dict) -> dict:
    view = {k: v for k, v in doc.items() if k not in ("_id", "outbox", "created_at", "updated_at", "version")}
    view["id"] = doc["_id"]
    return view


class ServiceRepository(VersionedCollection):
    def __init__(self, db: Database):
        super().__init__(db["services"], "service", plain_view)

    @classmethod
    def connect(cls, db: Database) -> "ServiceRepository":
        repo = cls(db)
        repo.ensure_indexes()
        return repo


SUMMARY = ("name", "credentials", "role", "service_ids", "languages", "licensed_states", "active")


class ProviderRepository(VersionedCollection):
    def __init__(self, db: Database):
        super().__init__(db["providers"], "provider", plain_view)

    @classmethod
    def connect(cls, db: Database) -> "ProviderRepository":
        repo = cls(db)
        repo.ensure_indexes()
        repo.coll.create_index([("location_ids", ASCENDING)])
        return repo

    def list(self, location_id: str | None = None, service_id: str | None = None,
             language: str | None = None, include_inactive: bool = False, schedule_of: str | None = None) -> list[dict]:
        """One query whatever the filters: the working-windows call depends on that.

        `schedule_of` fetches only that location's schedule (less for the datastore to ship)."""
        query: dict = {} if include_inactive else {"active": {"$ne": False}}
        if location_id:
            query["location_ids"] = location_id
        if service_id:
            query["service_ids"] = service_id
        if language:
            query["languages"] = language
        fields = HIDDEN if schedule_of is None else {**{f: 1 for f in SUMMARY}, f"schedules.{schedule_of}": 1}
        return list(self.coll.find(query, fields).sort("name", ASCENDING))
