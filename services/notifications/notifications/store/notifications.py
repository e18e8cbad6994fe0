"""The notifications repository: one record per (event, kind, channel), so a redelivery changes nothing."""
from __future__ import annotations

from datetime import datetime, timezone

from pymongo import ASCENDING
from pymongo.database import Database

from clinic_common.events import Event

from notifications.domain.plan import Planned

COLLECTION = "notifications"


class NotificationRepository:
    def __init__(self, db: Database):
        self._coll = db[COLLECTION]

    @classmethod
    def connect(cls, db: Database) -> "NotificationRepository":
        repo = cls(db)
        repo._coll.create_index([("booking_id", ASCENDING), ("created_at", ASCENDING)])
        return repo

    def record(self, event: Event, booking_id: str | None, planned: list[Planned]) -> None:
        now = datetime.now(timezone.utc)
        for item in planned:
            record_id = f"{event.id}:{item.kind}:{item.channel}"
            self._coll.update_one({"_id": record_id}, {"$setOnInsert": {
                "booking_id": booking_id, "event_id": event.id, "kind": item.kind, "channel": item.channel,
                "language": item.language, "recipient": item.recipient, "status": "pending",
                "attempts": 0, "sent_at": None, "last_error": None, "created_at": now,
            }}, upsert=True)

    def for_booking(self, booking_id: str) -> list[dict]:
        docs = self._coll.find({"booking_id": booking_id}).sort("created_at", ASCENDING).limit(500)
        return [{"id": d.pop("_id"), **d} for d in docs]
