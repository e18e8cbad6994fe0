"""The visits repository, and the one write that stores a visit's part bookings.

A visit moves through its steps by compare-and-set on (status, step): the request that books it
and the housekeeping that settles a stalled one can never both act on the same step. Only the
step that books it carries an event (`visit.booked`, in the same write: the outbox pattern of
clinic_common/versioned.py). Cancelling a booked visit is noted first with no event (`cancelling`),
and the write that ends it carries `visit.cancelled`.
"""
from __future__ import annotations

from datetime import datetime, timezone

from pymongo import ASCENDING
from pymongo.database import Database
from pymongo.errors import BulkWriteError, DuplicateKeyError

from clinic_common.errors import Conflict
from clinic_common.events import Event
from clinic_common.logs import current_request_id
from clinic_common.messaging.outbox import OUTBOX
from clinic_common.versioned import HIDDEN, VersionedCollection

from bookings.api.visit_schemas import visit_event
from bookings.domain.visits import BOOKED, BOOKED_EVENT, CANCELLED, CANCELLED_EVENT, CLAIMING, PENDING, STORING

COLLECTION = "visits"
DUPLICATE_KEY = 11000


def _stamp() -> datetime:
    """Now, as the datastore keeps it (milliseconds): the 201 and every later read show the same stamps."""
    now = datetime.now(timezone.utc)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def _no_view(_doc: dict) -> dict:
    raise TypeError("a visit's view needs its bookings: api/visit_schemas.py visit_view")


class VisitRepository(VersionedCollection):
    def __init__(self, db: Database):
        super().__init__(db[COLLECTION], "visit", _no_view)

    @classmethod
    def connect(cls, db: Database) -> "VisitRepository":
        repo = cls(db)
        repo.ensure_indexes()
        repo.coll.create_index([("status", ASCENDING), ("updated_at", ASCENDING)])  # housekeeping's question
        # Its other question (cancels noted but not finished): only those few visits carry the field.
        repo.coll.create_index([("cancelling", ASCENDING), ("updated_at", ASCENDING)], sparse=True)
        return repo

    def insert_pending(self, doc: dict) -> dict:
        """The visit before anything is claimed: no event (nothing has happened yet for anyone else)."""
        now = _stamp()
        doc = {**doc, "version": 1, "created_at": now, "updated_at": now}
        try:
            self.coll.insert_one(doc)
        except DuplicateKeyError:
            raise Conflict(f"A visit with id '{doc['_id']}' already exists.") from None
        return doc

    def advance(self, visit_id: str) -> bool:
        """claiming -> storing: every span is held. False when housekeeping already undid the visit."""
        result = self.coll.update_one({"_id": visit_id, "status": PENDING, "step": CLAIMING},
                                      {"$set": {"step": STORING, "updated_at": datetime.now(timezone.utc)},
                                       "$inc": {"version": 1}})
        return bool(result.modified_count)

    def discard(self, visit_id: str) -> bool:
        """Forget a visit that never got past claiming (a lost claim, or undone): True for the one who did."""
        return bool(self.coll.delete_one({"_id": visit_id, "status": PENDING, "step": CLAIMING}).deleted_count)

    def mark_booked(self, visit: dict, parts: list[dict]) -> dict | None:
        """storing -> booked, with `visit.booked` in the same write; None if it was settled meanwhile."""
        current = self.coll.find_one({"_id": visit["_id"]}, HIDDEN)
        if current is None or current["status"] != PENDING or current.get("step") != STORING:
            return None
        booked = {**current, "status": BOOKED, "version": current["version"] + 1, "updated_at": _stamp()}
        booked.pop("plan", None)
        booked.pop("step", None)
        entry = Event(type=BOOKED_EVENT, data=visit_event(booked, parts), request_id=current_request_id()).to_outbox()
        result = self.coll.update_one(
            {"_id": current["_id"], "version": current["version"], "status": PENDING, "step": STORING},
            {"$set": {k: booked[k] for k in ("status", "version", "updated_at")}, "$unset": {"plan": "", "step": ""},
             "$push": {OUTBOX: entry}})
        if not result.modified_count:
            return None
        self._committed(current["_id"], entry)
        return booked

    def mark_cancelled(self, visit_id: str) -> bool:
        """storing -> cancelled (housekeeping's undo): True for the one who did."""
        result = self.coll.update_one({"_id": visit_id, "status": PENDING, "step": STORING},
                                      {"$set": {"status": CANCELLED, "updated_at": datetime.now(timezone.utc)},
                                       "$unset": {"plan": "", "step": ""}, "$inc": {"version": 1}})
        return bool(result.modified_count)

    def note_cancel(self, visit: dict, reason: str | None, late_before: datetime | None = None) -> dict | None:
        """booked -> booked with its cancel noted, no event (nothing has happened yet for anyone else);
        None if the visit changed meanwhile. Housekeeping finishes a noted cancel whose request died.
        `late_before`: a part starting before it is cancelled late (the change policy)."""
        note = {"reason": reason} if late_before is None else {"reason": reason, "late_before": late_before}
        noted = {**visit, "cancelling": note, "version": visit["version"] + 1, "updated_at": _stamp()}
        result = self.coll.update_one(
            {"_id": visit["_id"], "version": visit["version"], "status": BOOKED, "cancelling": {"$exists": False}},
            {"$set": {k: noted[k] for k in ("cancelling", "version", "updated_at")}})
        return noted if result.modified_count else None

    def finish_cancel(self, visit: dict, parts: list[dict]) -> dict | None:
        """A noted cancel done: the visit cancelled with `visit.cancelled` (the visit and its parts as they
        now stand) in the same write; None if someone else finished it first."""
        cancelled = {k: v for k, v in visit.items() if k != "cancelling"}
        cancelled.update(status=CANCELLED, version=visit["version"] + 1, updated_at=_stamp())
        entry = Event(type=CANCELLED_EVENT, data=visit_event(cancelled, parts),
                      request_id=current_request_id()).to_outbox()
        result = self.coll.update_one(
            {"_id": visit["_id"], "version": visit["version"], "status": BOOKED, "cancelling": {"$exists": True}},
            {"$set": {k: cancelled[k] for k in ("status", "version", "updated_at")}, "$unset": {"cancelling": ""},
             "$push": {OUTBOX: entry}})
        if not result.modified_count:
            return None
        self._committed(visit["_id"], entry)
        return cancelled

    def cancelling_before(self, cutoff: datetime, limit: int = 200) -> list[dict]:
        """Visits whose noted cancel is untouched since before `cutoff`: its request died or stalled."""
        query = {"cancelling": {"$exists": True}, "status": BOOKED, "updated_at": {"$lt": cutoff}}
        return list(self.coll.find(query, HIDDEN).sort("updated_at", ASCENDING).limit(limit))

    def pending_before(self, cutoff: datetime, limit: int = 200) -> list[dict]:
        """Visits still pending since before `cutoff`: their request died or stalled (bounded batch)."""
        query = {"status": PENDING, "updated_at": {"$lt": cutoff}}
        return list(self.coll.find(query, HIDDEN).sort("updated_at", ASCENDING).limit(limit))


def store_parts(bookings, docs: list[dict]) -> list[dict]:
    """Insert the part bookings, each with its event, in one insert_many; a part stored already (a
    retry, or housekeeping finishing the visit) is left as it is. Returns the stored documents."""
    now = _stamp()
    docs = [{**doc, "version": 1, "created_at": now, "updated_at": now} for doc in docs]
    # The bookings repository builds each event, so a part's events are any booking's (with visit_id).
    entries = [bookings._event(doc, f"booking.{doc['status']}") for doc in docs]
    failed: set[int] = set()
    try:
        bookings.coll.insert_many([{**doc, OUTBOX: [entry]} for doc, entry in zip(docs, entries)], ordered=False)
    except BulkWriteError as exc:
        errors = exc.details.get("writeErrors", [])
        if any(error["code"] != DUPLICATE_KEY for error in errors):
            raise
        failed = {error["index"] for error in errors}
    for index, (doc, entry) in enumerate(zip(docs, entries)):
        if index not in failed:
            bookings._committed(doc["_id"], entry)
    return [doc for index, doc in enumerate(docs) if index not in failed] + (
        list(bookings.get_many([docs[i]["_id"] for i in failed]).values()) if failed else [])
