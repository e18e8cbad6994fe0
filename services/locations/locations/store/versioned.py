"""Versioned documents whose every change carries its event in the same single-document write.

A change reads the document, builds the new version in Python (the domain validates it), and
writes it only if nobody changed it meanwhile (`version` matches): the write, the version bump
and the pending `<kind>.updated` event are one atomic update. A lost race is retried.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Callable

from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

from clinic_common.errors import Conflict, NotFound
from clinic_common.events import Event
from clinic_common.logs import current_request_id
from clinic_common.messaging.outbox import OUTBOX, ensure_outbox_index

HIDDEN = {OUTBOX: 0}
MAX_ATTEMPTS = 5


def new_id() -> str:
    return uuid.uuid4().hex


class VersionedCollection:
    def __init__(self, collection: Collection, kind: str, to_view: Callable[[dict], dict]):
        self.coll, self._kind, self._to_view = collection, kind, to_view

    def ensure_indexes(self) -> None:
        ensure_outbox_index(self.coll)

    def _event(self, doc: dict) -> dict:
        view = self._to_view(doc)
        return Event(type=f"{self._kind}.updated", data=view, request_id=current_request_id()).to_outbox()

    def create(self, doc: dict) -> dict:
        now = datetime.now(timezone.utc)
        doc = {**doc, "version": 1, "created_at": now, "updated_at": now}
        try:
            self.coll.insert_one({**doc, OUTBOX: [self._event(doc)]})
        except DuplicateKeyError:
            raise Conflict(f"A {self._kind} with id '{doc['_id']}' already exists.") from None
        return doc

    def get(self, doc_id: str) -> dict | None:
        return self.coll.find_one({"_id": doc_id}, HIDDEN)

    def require(self, doc_id: str) -> dict:
        doc = self.get(doc_id)
        if doc is None:
            raise NotFound(f"No {self._kind} '{doc_id}'.")
        return doc

    def change(self, doc_id: str, apply: Callable[[dict], dict]) -> dict:
        """Apply `apply(current) -> new` and store it atomically with its event; retry a lost race."""
        for _ in range(MAX_ATTEMPTS):
            current = self.require(doc_id)
            new = {**apply(current), "_id": doc_id, "version": current["version"] + 1,
                   "updated_at": datetime.now(timezone.utc)}
            fields = {k: v for k, v in new.items() if k != "_id"}
            result = self.coll.update_one({"_id": doc_id, "version": current["version"]},
                                          {"$set": fields, "$push": {OUTBOX: self._event(new)}})
            if result.matched_count:
                return new
        raise Conflict(f"The {self._kind} '{doc_id}' is being changed by someone else; try again.")
