"""Locations, with their weekly hours and closures in one document (one read gives a day's hours)."""
from __future__ import annotations

from pymongo import ASCENDING
from pymongo.database import Database

from locations.domain.views import location_view
from locations.store.repository import Repository


class LocationRepository(Repository):
    INDEXES = ([("name", ASCENDING)],)

    def __init__(self, db: Database):
        super().__init__(db["locations"], "location", location_view)

    def is_empty(self) -> bool:
        return self.coll.find_one({}, {"_id": 1}) is None
