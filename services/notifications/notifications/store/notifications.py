"""The notifications repository: one record per (event, kind, channel), claimed by one sender at a time.

A record goes pending -> sending (claimed with a lease) -> sent | failed | skipped, or back to
pending with a later next_attempt_at. Claims are single-document find-and-modify calls, so
senders in any number of processes never hold the same record; a crashed sender's lease
runs out and another picks the record up.
"""
from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta
from typing import Callable

from pymongo import ASCENDING, ReturnDocument, UpdateOne
from pymongo.collection import Collection
from pymongo.database import Database

from clinic_common.events import Event
from clinic_common.logs import log_failure
from clinic_common.messaging.outbox import ensure_outbox_index, with_pending

from notifications.domain.order import UNSETTLED

log = logging.getLogger(__name__)
COLLECTION = "notifications"
HIDDEN = {"data": 0, "outbox": 0}


def notification_id(source_id: str, kind: str, channel: str) -> str:
    """Deterministic: a redelivered event, or a second worker, writes the same record, never a new one."""
    return f"{source_id}:{kind}:{channel}"


ORPHAN_CHECK_S = 5.0


def _claimed(now: datetime, lease_s: float, token: str) -> dict:
    """A claim: ours until the lease runs out, its attempt counted at once."""
    return {"$set": {"status": "sending", "lease_until": now + timedelta(seconds=lease_s), "claim": token},
            "$inc": {"attempts": 1}}


class NotificationRepository:
    def __init__(self, db: Database):
        self.coll = db[COLLECTION]
        self._next_orphan_check = 0.0
        # Called with (collection, id, outbox entries) once an outcome and its event are stored: the
        # outbox fast lane (clinic_common/messaging/fastpath.py) publishes them at once.
        self.after_commit: Callable[[Collection, object, list[dict]], None] | None = None

    @classmethod
    def connect(cls, db: Database) -> "NotificationRepository":
        repo = cls(db)
        repo.coll.create_index([("booking_id", ASCENDING), ("created_at", ASCENDING)])
        repo.coll.create_index([("appointment_request_id", ASCENDING)])
        repo.coll.create_index([("booking_ids", ASCENDING)], sparse=True)  # a series' or visit's one message
        repo.coll.create_index([("status", ASCENDING), ("next_attempt_at", ASCENDING)])
        repo.coll.create_index([("status", ASCENDING), ("lease_until", ASCENDING)])
        ensure_outbox_index(repo.coll)
        return repo

    def record(self, docs: list[dict], now: datetime) -> None:
        """Insert each record unless it exists: whatever happened to it since stays. A record is pending
        unless the doc says otherwise (a channel that is off stores its message as skipped at once)."""
        inserts = [UpdateOne({"_id": doc["_id"]}, {"$setOnInsert": {
            "status": "pending", "attempts": 0, "next_attempt_at": now, "sent_at": None, "last_error": None,
            "created_at": now, **{k: v for k, v in doc.items() if k != "_id"}}}, upsert=True) for doc in docs]
        if inserts:
            self.coll.bulk_write(inserts, ordered=False)  # one round trip for every channel's record

    def claim_by_id(self, note_id: str, now: datetime, lease_s: float, token: str) -> dict | None:
        """This record, now ours, if it is still pending and due (delivery/handoff.py); None otherwise."""
        return self.coll.find_one_and_update({"_id": note_id, "status": "pending", "next_attempt_at": {"$lte": now}},
                                             _claimed(now, lease_s, token), projection={"outbox": 0},
                                             return_document=ReturnDocument.AFTER)

    def claim(self, now: datetime, lease_s: float, token: str) -> dict | None:
        """The next due record, now ours until the lease runs out; its attempt is counted at once."""
        claimed = _claimed(now, lease_s, token)
        # Plain indexed queries rather than one $or. Records whose sender died (the lease ran out)
        # are looked for every few seconds, first, so a steady stream of new ones never starves them.
        pending = ({"status": "pending", "next_attempt_at": {"$lte": now}}, "next_attempt_at")
        orphaned = ({"status": "sending", "lease_until": {"$lt": now}}, "lease_until")
        order: tuple = (pending,)
        if time.monotonic() >= self._next_orphan_check:
            self._next_orphan_check, order = time.monotonic() + ORPHAN_CHECK_S, (orphaned, pending)
        for due, by in order:
            doc = self.coll.find_one_and_update(due, claimed, projection={"outbox": 0}, sort=[(by, ASCENDING)],
                                                return_document=ReturnDocument.AFTER)
            if doc is not None:
                return doc
        return None

    def oldest_unsettled_version(self, booking_id: str, channel: str) -> int | None:
        """The oldest booking version whose message to this booking on this channel is still on its way
        (domain/order.py decides what that means for a message)."""
        unsettled = {"booking_id": booking_id, "channel": channel, "status": {"$in": list(UNSETTLED)},
                     "booking_version": {"$ne": None}}  # reminders carry none: they are not in the order
        doc = self.coll.find_one(unsettled, {"booking_version": 1}, sort=[("booking_version", ASCENDING)])
        return doc["booking_version"] if doc else None

    def settle(self, doc: dict, token: str, fields: dict, event: Event | None = None) -> bool:
        """Store the outcome (and its event, in the same write) if the claim is still ours."""
        update = {"$set": fields, "$unset": {"claim": "", "lease_until": ""}}
        if event is not None:
            update = with_pending(update, event)
        stored = self.coll.update_one({"_id": doc["_id"], "claim": token}, update).matched_count == 1
        if stored and event is not None and self.after_commit is not None:
            try:
                self.after_commit(self.coll, doc["_id"], [event.to_outbox()])
            except Exception as exc:  # stored: the relay publishes it whatever happens here
                log_failure(log, "after-commit hook failed; the relay publishes the event", exc)
        return stored

    def failed_count(self, query: dict) -> int:
        """How many failed records `requeue` would give new attempts (its dry run)."""
        return self.coll.count_documents({**query, "status": "failed"})

    def requeue(self, query: dict, now: datetime) -> int:
        """Give failed records a fresh set of attempts (ops, after fixing a channel)."""
        result = self.coll.update_many({**query, "status": "failed"}, {"$set": {
            "status": "pending", "attempts": 0, "next_attempt_at": now, "last_error": None}})
        return result.modified_count

    def about(self, field: str, value: str) -> list[dict]:
        """The records of one booking (field booking_id: its own and its series' or visit's) or one appointment
        request, oldest first."""
        assert field in ("booking_id", "appointment_request_id")
        query = {"$or": [{field: value}, {"booking_ids": value}]} if field == "booking_id" else {field: value}
        return list(self.coll.find(query, HIDDEN).sort("created_at", ASCENDING).limit(500))
