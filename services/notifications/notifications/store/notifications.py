"""The notifications repository: one record per (event, kind, channel), claimed by one sender at a time.

A record goes pending -> sending (claimed with a lease) -> sent | failed | skipped, or back to
pending with a later next_attempt_at. Claims are single-document find-and-modify calls, so
senders in any number of processes never hold the same record; a crashed sender's lease
runs out and another picks the record up.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from pymongo import ASCENDING, ReturnDocument
from pymongo.database import Database

from clinic_common.events import Event
from clinic_common.messaging.outbox import ensure_outbox_index, with_pending

COLLECTION = "notifications"
HIDDEN = {"data": 0, "outbox": 0}


def notification_id(source_id: str, kind: str, channel: str) -> str:
    """Deterministic: a redelivered event, or a second worker, writes the same record, never a new one."""
    return f"{source_id}:{kind}:{channel}"


class NotificationRepository:
    def __init__(self, db: Database):
        self.coll = db[COLLECTION]

    @classmethod
    def connect(cls, db: Database) -> "NotificationRepository":
        repo = cls(db)
        repo.coll.create_index([("booking_id", ASCENDING), ("created_at", ASCENDING)])
        repo.coll.create_index([("appointment_request_id", ASCENDING)])
        repo.coll.create_index([("status", ASCENDING), ("next_attempt_at", ASCENDING)])
        ensure_outbox_index(repo.coll)
        return repo

    def record(self, docs: list[dict], now: datetime) -> None:
        """Insert each pending record unless it exists: whatever happened to it since stays."""
        for doc in docs:
            fresh = {"status": "pending", "attempts": 0, "next_attempt_at": now, "sent_at": None,
                     "last_error": None, "created_at": now, **{k: v for k, v in doc.items() if k != "_id"}}
            self.coll.update_one({"_id": doc["_id"]}, {"$setOnInsert": fresh}, upsert=True)

    def claim(self, now: datetime, lease_s: float, token: str) -> dict | None:
        """The next due record, now ours until the lease runs out; its attempt is counted at once."""
        due = {"$or": [{"status": "pending", "next_attempt_at": {"$lte": now}},
                       {"status": "sending", "lease_until": {"$lt": now}}]}
        claimed = {"$set": {"status": "sending", "lease_until": now + timedelta(seconds=lease_s), "claim": token},
                   "$inc": {"attempts": 1}}
        return self.coll.find_one_and_update(due, claimed, projection={"outbox": 0},
                                             sort=[("next_attempt_at", ASCENDING)],
                                             return_document=ReturnDocument.AFTER)

    def settle(self, doc: dict, token: str, fields: dict, event: Event | None = None) -> bool:
        """Store the outcome (and its event, in the same write) if the claim is still ours."""
        update = {"$set": fields, "$unset": {"claim": "", "lease_until": ""}}
        if event is not None:
            update = with_pending(update, event)
        return self.coll.update_one({"_id": doc["_id"], "claim": token}, update).matched_count == 1

    def requeue(self, query: dict, now: datetime) -> int:
        """Give failed records a fresh set of attempts (ops, after fixing a channel)."""
        result = self.coll.update_many({**query, "status": "failed"}, {"$set": {
            "status": "pending", "attempts": 0, "next_attempt_at": now, "last_error": None}})
        return result.modified_count

    def about(self, field: str, value: str) -> list[dict]:
        """The records of one booking (field booking_id) or one appointment request, oldest first."""
        assert field in ("booking_id", "appointment_request_id")
        return list(self.coll.find({field: value}, HIDDEN).sort("created_at", ASCENDING).limit(500))
