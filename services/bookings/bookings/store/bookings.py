"""The bookings repository: booking documents and their pending events, written together."""
from __future__ import annotations

from pymongo import ASCENDING
from pymongo.database import Database

from clinic_common.events import Event
from clinic_common.messaging.outbox import OUTBOX, ensure_outbox_index

COLLECTION = "bookings"


class BookingRepository:
    def __init__(self, db: Database):
        self._coll = db[COLLECTION]

    @classmethod
    def connect(cls, db: Database) -> "BookingRepository":
        repo = cls(db)
        repo.ensure_indexes()
        return repo

    def ensure_indexes(self) -> None:
        ensure_outbox_index(self._coll)
        self._coll.create_index([("provider_id", ASCENDING), ("start", ASCENDING)])
        self._coll.create_index([("location_id", ASCENDING), ("start", ASCENDING)])

    def add(self, booking: dict, event: Event) -> None:
        """One insert: the booking and its pending event are stored atomically or not at all."""
        doc = {"_id": booking["id"], **{k: v for k, v in booking.items() if k != "id"}}
        doc[OUTBOX] = [event.to_outbox()]
        self._coll.insert_one(doc)

    def get(self, booking_id: str) -> dict | None:
        doc = self._coll.find_one({"_id": booking_id}, {OUTBOX: 0})
        if doc is None:
            return None
        doc["id"] = doc.pop("_id")
        return doc
