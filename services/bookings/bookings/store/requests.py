"""The appointment-requests repository: each request and each change stored with its event in one write."""
from __future__ import annotations

from pymongo import ASCENDING
from pymongo.database import Database

from clinic_common.versioned import HIDDEN, VersionedCollection

from bookings.domain.requests import CREATED
from bookings.events.messages import request_event, request_view

COLLECTION = "appointment_requests"  # relayed: see config.OUTBOX_COLLECTIONS
LIST_LIMIT = 500


class AppointmentRequestRepository(VersionedCollection):
    def __init__(self, db: Database):
        super().__init__(db[COLLECTION], "appointment_request", request_view, request_event)

    @classmethod
    def connect(cls, db: Database) -> "AppointmentRequestRepository":
        repo = cls(db)
        repo.ensure_indexes()
        repo.coll.create_index([("status", ASCENDING), ("created_at", ASCENDING)])
        repo.coll.create_index([("location_ids", ASCENDING), ("created_at", ASCENDING)])
        return repo

    def create(self, doc: dict, event_type: str | None = CREATED) -> dict:
        """Insert a new request with its `appointment_request.created` event."""
        return super().create(doc, event_type)

    def list(self, status: str | None = None, location_id: str | None = None, limit: int = LIST_LIMIT) -> list[dict]:
        """Requests, oldest first (the queue staff work through), optionally by status and preferred location."""
        query: dict = {}
        if status:
            query["status"] = status
        if location_id:
            query["location_ids"] = location_id
        found = self.coll.find(query, HIDDEN).sort([("created_at", ASCENDING), ("_id", ASCENDING)])
        return list(found.limit(min(limit, LIST_LIMIT)))
