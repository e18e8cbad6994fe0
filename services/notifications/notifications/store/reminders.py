"""Scheduled reminders: one document per (booking, offset), moved or dropped by booking events and
claimed atomically when due (status scheduled -> sending with a lease), so any number of
workers fire each one once.

Writes from booking events are compare-and-set on (version, status): a claim made meanwhile,
or a newer event handled by another worker, makes the write miss and the caller re-reads.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from pymongo import ASCENDING, ReturnDocument
from pymongo.database import Database
from pymongo.errors import BulkWriteError, DuplicateKeyError

from notifications.domain.reminders import GOES_OUT, SCHEDULED, SENDING

COLLECTION = "reminders"
# A month after it was due a reminder is history (its visit is long past; an event that late would
# be skipped anyway): MongoDB's TTL monitor removes it, so the collection does not grow forever.
KEEP_AFTER_DUE_S = 30 * 86400
DUPLICATE_KEY = 11000


class ReminderRepository:
    def __init__(self, db: Database):
        self.coll = db[COLLECTION]

    @classmethod
    def connect(cls, db: Database) -> "ReminderRepository":
        repo = cls(db)
        repo.coll.create_index([("status", ASCENDING), ("due_at", ASCENDING)])
        repo.coll.create_index([("booking_id", ASCENDING)])
        repo.coll.create_index("due_at", expireAfterSeconds=KEEP_AFTER_DUE_S)
        return repo

    def insert_new(self, reminders: dict[str, dict]) -> set[str]:
        """Insert these reminders (id -> fields) in one round trip; the ids that already existed."""
        if not reminders:
            return set()
        try:
            self.coll.insert_many([{"_id": rid, **fields} for rid, fields in reminders.items()], ordered=False)
        except BulkWriteError as exc:
            errors = exc.details.get("writeErrors", [])
            if any(error.get("code") != DUPLICATE_KEY for error in errors):
                raise
            return {list(reminders)[error["index"]] for error in errors}
        return set()

    def get(self, reminder_id: str) -> dict | None:
        return self.coll.find_one({"_id": reminder_id})

    def replace_if_unchanged(self, reminder_id: str, current: dict | None, fields: dict) -> bool:
        """Write `fields` if the stored reminder is still `current` (None: if there is none yet)."""
        if current is None:
            try:
                self.coll.insert_one({"_id": reminder_id, **fields})
                return True
            except DuplicateKeyError:
                return False
        unchanged = {"_id": reminder_id, "version": current.get("version"), "status": current.get("status")}
        return self.coll.update_one(unchanged, {"$set": fields}).matched_count == 1

    def claim_due(self, now: datetime, lease_s: float, token: str) -> dict | None:
        due = {"$or": [{"status": SCHEDULED, "due_at": {"$lte": now}},
                       {"status": SENDING, "lease_until": {"$lt": now}}]}
        claimed = {"$set": {"status": SENDING, "lease_until": now + timedelta(seconds=lease_s), "claim": token}}
        return self.coll.find_one_and_update(due, claimed, sort=[("due_at", ASCENDING)],
                                             return_document=ReturnDocument.AFTER)

    def settle(self, reminder: dict, token: str, status: str) -> bool:
        """fired or skipped, if it is still our claim (a booking event may have dropped or moved it)."""
        mine = {"_id": reminder["_id"], "claim": token, "status": SENDING}
        update = {"$set": {"status": status}, "$unset": {"claim": "", "lease_until": ""}}
        return self.coll.update_one(mine, update).matched_count == 1

    def still_going_out(self, reminder_id: str, due_at: datetime) -> bool:
        """Checked just before a reminder is sent: not dropped, not moved to another time."""
        return self.coll.find_one({"_id": reminder_id, "due_at": due_at, "status": {"$in": list(GOES_OUT)}},
                                  {"_id": 1}) is not None
