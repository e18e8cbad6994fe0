"""Versioned documents whose every change carries its event in the same single-document write.

Used by every service that owns an aggregate (locations, services, providers, bookings).

A change reads the document, builds the new version in Python (the domain validates it), and
writes it only if nobody changed it meanwhile (`version` matches): the write, the version bump
and the pending event (`<kind>.updated` unless the change names
another) are one atomic update. A lost race is retried.
"""
from __future__ import annotations

import logging
import uuid
from datetime import datetime, timezone
from typing import Callable

from pymongo import ASCENDING
from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

from clinic_common.errors import Conflict, NotFound
from clinic_common.events import Event
from clinic_common.logs import current_request_id, log_failure
from clinic_common.messaging.outbox import OUTBOX, ensure_outbox_index

log = logging.getLogger(__name__)
HIDDEN = {OUTBOX: 0}
MAX_ATTEMPTS = 5


def new_id() -> str:
    return uuid.uuid4().hex


class VersionedCollection:
    def __init__(self, collection: Collection, kind: str, to_view: Callable[[dict], dict],
                 to_event: Callable[[dict, str], dict] | None = None):
        """`to_event(doc, event_type)` is what an event carries, when that is less than the API's view:
        an event travels to every consumer and parking queue, so it carries only what consumers need."""
        self.coll, self._kind, self._to_view = collection, kind, to_view
        self._to_event = to_event or (lambda doc, _event_type: to_view(doc))
        # Called with (collection, id, outbox entries) after each commit: see messaging/fastpath.py.
        self.after_commit: Callable[[Collection, object, list[dict]], None] | None = None

    def _committed(self, doc_id, entry: dict) -> None:
        """The change is stored: from here on nothing may fail the caller (the relay has the event)."""
        if self.after_commit is None:
            return
        try:
            self.after_commit(self.coll, doc_id, [entry])
        except Exception as exc:
            log_failure(log, "after-commit hook failed; the relay publishes the event", exc)

    def ensure_indexes(self) -> None:
        ensure_outbox_index(self.coll)

    def _event(self, doc: dict, event_type: str | None) -> dict:
        event_type = event_type or f"{self._kind}.updated"
        return Event(type=event_type, data=self._to_event(doc, event_type), request_id=current_request_id()).to_outbox()

    def create(self, doc: dict, event_type: str | None = None) -> dict:
        """Insert `doc` (with its `_id`) and its event in one write; 409 if the id is taken."""
        now = datetime.now(timezone.utc)
        doc = {**doc, "version": 1, "created_at": now, "updated_at": now}
        entry = self._event(doc, event_type)
        try:
            self.coll.insert_one({**doc, OUTBOX: [entry]})
        except DuplicateKeyError:
            raise Conflict(f"A {self._kind} with id '{doc['_id']}' already exists.") from None
        self._committed(doc["_id"], entry)
        return doc

    def list(self, include_inactive: bool = False, sort: str = "name") -> list[dict]:
        query = {} if include_inactive else {"active": {"$ne": False}}
        return list(self.coll.find(query, HIDDEN).sort(sort, ASCENDING))

    def get_many(self, ids) -> dict[str, dict]:
        """Documents by id, in one query."""
        return {doc["_id"]: doc for doc in self.coll.find({"_id": {"$in": list(ids)}}, HIDDEN)}

    def get(self, doc_id: str) -> dict | None:
        return self.coll.find_one({"_id": doc_id}, HIDDEN)

    def require(self, doc_id: str) -> dict:
        doc = self.get(doc_id)
        if doc is None:
            raise NotFound(f"No {self._kind} '{doc_id}'.")
        return doc

    def change(self, doc_id: str, apply: Callable[[dict], dict], event_type: str | None = None) -> dict:
        """Apply `apply(current) -> new` and store it atomically with its event; retry a lost race.

        `apply` may raise a DomainError to refuse the change: then nothing is written.
        """
        for _ in range(MAX_ATTEMPTS):
            current = self.require(doc_id)
            new = self.replace_if_unchanged(current, apply(current), event_type)
            if new is not None:
                return new
        raise Conflict(f"The {self._kind} '{doc_id}' is being changed by someone else; try again.")

    def replace_if_unchanged(self, current: dict, new: dict, event_type: str | None = None) -> dict | None:
        """Store `new` with its event if `current` is still the stored version; None if it is not."""
        new = {**new, "_id": current["_id"], "version": current["version"] + 1, "updated_at": datetime.now(timezone.utc)}
        fields = {k: v for k, v in new.items() if k != "_id"}
        entry = self._event(new, event_type)
        result = self.coll.update_one({"_id": current["_id"], "version": current["version"]},
                                      {"$set": fields, "$push": {OUTBOX: entry}})
        if not result.matched_count:
            return None
        self._committed(current["_id"], entry)
        return new
