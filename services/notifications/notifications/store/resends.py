"""What a resend reads and writes: a delivery-log record, the booking's newest snapshot, the new record.

The newest snapshot is the one the consumer keeps per booking (`booking_states`, written for every booking
event applied, newest version wins); for a booking whose events all came before that store existed, the
newest snapshot among its own messages stands in.
"""
from __future__ import annotations

from datetime import datetime

from pymongo import DESCENDING
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from notifications.domain.order import UNSETTLED
from notifications.store.notifications import COLLECTION

STATES = "booking_states"


class BookingStates:
    """A booking's newest snapshot, by version: an older event never overwrites a newer one."""

    def __init__(self, db: Database):
        self.coll = db[STATES]

    def keep(self, booking_id: str, version: int, snapshot: dict, now: datetime) -> None:
        try:
            self.coll.update_one({"_id": booking_id, "version": {"$lt": version}},
                                 {"$set": {"version": version, "data": snapshot, "at": now}}, upsert=True)
        except DuplicateKeyError:
            pass  # a newer version is already kept

    def get(self, booking_id: str) -> dict | None:
        doc = self.coll.find_one({"_id": booking_id}, {"data": 1})
        return doc["data"] if doc else None


class Resends:
    def __init__(self, db: Database):
        self.notes, self.states = db[COLLECTION], BookingStates(db)

    def original(self, note_id: str) -> dict | None:
        return self.notes.find_one({"_id": note_id}, {"outbox": 0})

    def newest_state(self, booking_id: str) -> dict | None:
        kept = self.states.get(booking_id)
        if kept is not None:
            return kept
        doc = self.notes.find_one({"booking_id": booking_id, "source": "booking", "booking_version": {"$ne": None}},
                                  {"data": 1}, sort=[("booking_version", DESCENDING)])
        return doc["data"] if doc else None

    def resend_pending(self, note_id: str) -> bool:
        return self.notes.find_one({"resent_from": note_id, "status": {"$in": list(UNSETTLED)}}, {"_id": 1}) is not None

    def add(self, doc: dict, now: datetime) -> dict:
        """Store the resend, pending and due now: a sender's poll claims it."""
        stored = {"status": "pending", "attempts": 0, "next_attempt_at": now, "sent_at": None, "last_error": None,
                  "created_at": now, **doc}
        self.notes.insert_one(stored)
        return stored
