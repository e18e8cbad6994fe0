"""The newest version of each booking this service has applied: events apply in version order.

Events of one booking can arrive out of order (the relay took over from the fast lane, a retry,
several workers). An event older than what was applied changes nothing: a confirmation that
arrives after the cancellation is never recorded, so never sent.
"""
from __future__ import annotations

from datetime import datetime, timezone

from pymongo import ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from clinic_common.messaging.inbox import KEEP_S

COLLECTION = "booking_versions"
APPLY, STALE, EARLY = "apply", "stale", "early"


def next_verdict(applied: int, version: int) -> str:
    """What an event about `version` does, given the newest version applied (0: none yet). Pure."""
    if version <= applied:
        return APPLY if version == applied else STALE
    return APPLY if version == applied + 1 else EARLY


class BookingVersions:
    def __init__(self, db: Database):
        self.coll = db[COLLECTION]

    @classmethod
    def connect(cls, db: Database) -> "BookingVersions":
        """A record goes a while after the booking's last event, as handled event ids do (inbox.KEEP_S):
        no late copy of an event outlives that, so none can find its record gone and apply."""
        versions = cls(db)
        versions.coll.create_index("at", expireAfterSeconds=KEEP_S)
        return versions

    def take_next(self, booking_id: str, version: int) -> str:
        """Record `version` as applied when it is the next one: APPLY, or STALE (a newer one was applied:
        this event would tell an old story), or EARLY (one before it has not been applied yet).

        One write in the usual case (the next version, or a booking's first); a read only when that misses.
        A redelivery of the applied version is APPLY: its writes are idempotent and may finish a crash's work.
        """
        now = datetime.now(timezone.utc)
        try:
            if version == 1:
                self.coll.insert_one({"_id": booking_id, "applied": 1, "at": now})
                return APPLY
            if self.coll.update_one({"_id": booking_id, "applied": version - 1},
                                    {"$set": {"applied": version, "at": now}}).matched_count:
                return APPLY
        except DuplicateKeyError:
            pass
        stored = self.coll.find_one({"_id": booking_id}, {"applied": 1})
        applied = stored.get("applied", 0) if stored else 0
        return next_verdict(applied, version)

    def advance(self, booking_id: str, version: int) -> bool:
        """Record that `version` is being applied; False when a newer one already was (the event is stale).

        One write: `$max` keeps the newest whatever the order of racing workers. The same version
        again (a redelivery) is not stale: its writes are idempotent and may finish what a crash cut short.
        """
        update = {"$max": {"applied": version}, "$set": {"at": datetime.now(timezone.utc)}}
        for _ in range(2):  # two workers may race to create the document: the loser reads it
            try:
                before = self.coll.find_one_and_update({"_id": booking_id}, update, upsert=True,
                                                       return_document=ReturnDocument.BEFORE)
                return before is None or before.get("applied", 0) <= version
            except DuplicateKeyError:
                continue
        return True
