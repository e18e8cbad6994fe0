"""The audit trail: who read or changed which booking or request, when, with what outcome.

Append-only: this module inserts and lists; nothing in the code base updates or deletes an
entry. Entries hold ids and actors, never patient details.
"""
from __future__ import annotations

from datetime import datetime, timezone

from pymongo import ASCENDING, DESCENDING
from pymongo.database import Database

COLLECTION = "audit"


class AuditLog:
    def __init__(self, db: Database):
        self._coll = db[COLLECTION]

    @classmethod
    def connect(cls, db: Database) -> "AuditLog":
        log = cls(db)
        log._coll.create_index([("target_ids", ASCENDING), ("at", DESCENDING)])  # "who touched this booking?"
        return log

    def record(self, *, actor: str, role: str | None, action: str, target_type: str, target_ids: list[str],
               outcome: int, request_id: str) -> None:
        self._coll.insert_one({"at": datetime.now(timezone.utc), "actor": actor, "role": role, "action": action,
                               "target_type": target_type, "target_ids": target_ids, "outcome": outcome,
                               "request_id": request_id})
