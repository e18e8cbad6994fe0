"""Dedupe by event id: a consumer records each event it has handled and skips a redelivery."""
from __future__ import annotations

from datetime import datetime, timezone

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

PROCESSED_EVENTS = "processed_events"
KEEP_S = 30 * 86400  # far longer than any redelivery or replay window


class MongoInbox:
    def __init__(self, db: Database):
        self._coll = db[PROCESSED_EVENTS]

    def ensure_indexes(self) -> None:
        self._coll.create_index("at", expireAfterSeconds=KEEP_S)

    def seen(self, event_id: str) -> bool:
        return self._coll.find_one({"_id": event_id}, {"_id": 1}) is not None

    def record(self, event_id: str, event_type: str) -> None:
        try:
            self._coll.insert_one({"_id": event_id, "type": event_type, "at": datetime.now(timezone.utc)})
        except DuplicateKeyError:
            pass  # a parallel worker handled it too; the handler's own write is idempotent


class NoInbox:
    """For handlers idempotent by construction: every event is handled; repeats change nothing."""

    def ensure_indexes(self) -> None:
        pass

    def seen(self, event_id: str) -> bool:
        return False

    def record(self, event_id: str, event_type: str) -> None:
        pass
