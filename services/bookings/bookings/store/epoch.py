"""The schedule epoch: a counter bumped whenever locations announces a change, so every web
process knows, for the price of one small read, that its cached working windows are stale."""
from __future__ import annotations

from datetime import datetime, timezone

from pymongo.database import Database

COLLECTION, DOC_ID = "schedule_epoch", "schedules"


class ScheduleEpoch:
    def __init__(self, db: Database):
        self._coll = db[COLLECTION]

    def current(self) -> int:
        doc = self._coll.find_one({"_id": DOC_ID})
        return doc["epoch"] if doc else 0

    def bump(self) -> None:
        self._coll.update_one({"_id": DOC_ID}, {"$inc": {"epoch": 1}, "$set": {"at": datetime.now(timezone.utc)}},
                              upsert=True)
