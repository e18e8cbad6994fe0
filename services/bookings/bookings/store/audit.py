"""The audit trail: who read or changed which booking or request, when, with what outcome.

Append-only: this module inserts and lists; nothing in the code base updates or deletes an
entry. Entries hold ids and actors, never patient details.
"""
from __future__ import annotations

from datetime import datetime, timezone

from pymongo import DESCENDING
from pymongo.database import Database

COLLECTION = "audit"


class AuditLog:
    def __init__(self, db: Database):
        self._coll = db[COLLECTION]

    @classmethod
    def connect(cls, db: Database) -> "AuditLog":
        log = cls(db)
        log._coll.create_index([("target_id", DESCENDING), ("at", DESCENDING)])
        return log

    def record(self, *, actor: str, role: str | None, action: str, target_type: str, target_ids: list[str],
               outcome: int, request_id: str) -> None:
        self._coll.insert_one({"at": datetime.now(timezone.utc), "actor": actor, "role": role, "action": action,
                               "target_type": target_type, "target_id": target_ids[0] if len(target_ids) == 1 else None,
                               "target_ids": target_ids, "outcome": outcome, "request_id": request_id})

    def for_target(self, target_id: str, limit: int = 200) -> list[dict]:
        return list(self._coll.find({"target_ids": target_id}, {"_id": 0}).sort("at", DESCENDING).limit(limit))
