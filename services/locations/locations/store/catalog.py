"""Services (visit types) and providers."""
from __future__ import annotations

from pymongo import ASCENDING
from pymongo.database import Database

from clinic_common.versioned import HIDDEN

from locations.domain.views import plain_view
from locations.store.repository import Repository


class ServiceRepository(Repository):
    def __init__(self, db: Database):
        super().__init__(db["services"], "service", plain_view)


SUMMARY = ("name", "credentials", "role", "service_ids", "languages", "licensed_states", "active")


class ProviderRepository(Repository):
    INDEXES = ([("location_ids", ASCENDING)],)

    def __init__(self, db: Database):
        super().__init__(db["providers"], "provider", plain_view)

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
