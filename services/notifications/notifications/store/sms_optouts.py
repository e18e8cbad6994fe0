"""Numbers that replied STOP (one document per E.164 number), and what we last sent a number.

An opt-out is kept per number, not per patient or booking: it is the phone's owner who said STOP, and
every later booking that gives the number must stay silent until it says START. The last message we
sent a number (its language, its clinic's phone) is read from the delivery log itself, which already
keeps every SMS record with its recipient.
"""
from __future__ import annotations

from datetime import datetime

from pymongo import DESCENDING
from pymongo.database import Database

COLLECTION = "sms_optouts"
NOTIFICATIONS = "notifications"


class SmsOptOuts:
    def __init__(self, db: Database):
        self.coll, self._notes = db[COLLECTION], db[NOTIFICATIONS]

    @classmethod
    def connect(cls, db: Database) -> "SmsOptOuts":
        repo = cls(db)
        # The inbound webhook looks up a number's last SMS; without this it would scan the whole log.
        repo._notes.create_index([("recipient", DESCENDING), ("created_at", DESCENDING)])
        return repo

    def set_opted_out(self, number: str, opted_out: bool, keyword: str, now: datetime) -> None:
        self.coll.update_one({"_id": number}, {"$set": {"opted_out": opted_out, "keyword": keyword,
                                                        "changed_at": now}}, upsert=True)

    def is_opted_out(self, number: str) -> bool:
        return self.coll.find_one({"_id": number, "opted_out": True}, {"_id": 1}) is not None

    def last_sent(self, number: str) -> dict | None:
        """The last SMS record to this number (its language and data), or None."""
        return self._notes.find_one({"recipient": number, "channel": "sms"}, {"language": 1, "data": 1},
                                    sort=[("created_at", DESCENDING)])
