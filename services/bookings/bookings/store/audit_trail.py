"""Reading a booking's audit trail (clinic_common/audit.py writes it; nothing here changes an entry)."""
from __future__ import annotations

from datetime import datetime

from pymongo import DESCENDING
from pymongo.database import Database

from clinic_common.audit import COLLECTION


class AuditTrail:
    def __init__(self, db: Database):
        self._coll = db[COLLECTION]

    def about(self, target_id: str, before: datetime | None, limit: int) -> list[dict]:
        """Entries naming `target_id`, newest first, older than `before` when given; at most `limit`.
        The index AuditLog.connect makes (target_ids, at desc) serves exactly this."""
        query: dict = {"target_ids": target_id}
        if before is not None:
            query["at"] = {"$lt": before}
        return list(self._coll.find(query, {"_id": 0}).sort([("at", DESCENDING), ("_id", DESCENDING)]).limit(limit))
