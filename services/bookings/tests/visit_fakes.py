"""Fakes at the boundaries of visit_operations.VisitDeps and visit_housekeeping: the visits repository
(compare-and-set on status and step, as the real one), part bookings stored many at once, a ledger
that keeps each claim's visit mark, and a locations adapter with one schedule per service."""
from __future__ import annotations

from datetime import datetime, timezone

from clinic_common.errors import Conflict

from bookings.domain.visits import BOOKED, CANCELLED, CLAIMING, PENDING, STORING
from services.bookings.tests.fakes import FakeBookings, FakeLedger


class FakeVisits:
    def __init__(self, journal: list):
        self.docs: dict[str, dict] = {}
        self.events: list[str] = []
        self.journal = journal

    def get(self, visit_id: str) -> dict | None:
        return self.docs.get(visit_id)

    def insert_pending(self, doc: dict) -> dict:
        if doc["_id"] in self.docs:
            raise Conflict("taken")
        self.docs[doc["_id"]] = {**doc, "version": 1, "updated_at": datetime.min}
        self.journal.append(("visit written", doc["_id"]))
        return self.docs[doc["_id"]]

    def _at(self, visit_id: str, step: str) -> dict | None:
        doc = self.docs.get(visit_id)
        return doc if doc and doc["status"] == PENDING and doc.get("step") == step else None

    def advance(self, visit_id: str) -> bool:
        doc = self._at(visit_id, CLAIMING)
        if doc:
            doc.update(step=STORING, version=doc["version"] + 1)
            self.journal.append(("advanced", visit_id))
        return doc is not None

    def discard(self, visit_id: str) -> bool:
        return self.docs.pop(visit_id) is not None if self._at(visit_id, CLAIMING) else False

    def mark_booked(self, visit: dict, parts: list[dict]) -> dict | None:
        doc = self._at(visit["_id"], STORING)
        if doc is None:
            return None
        booked = {k: v for k, v in doc.items() if k not in ("plan", "step")}
        self.docs[visit["_id"]] = {**booked, "status": BOOKED, "version": doc["version"] + 1}
        self.events.append("visit.booked")
        self.journal.append(("visit booked", visit["_id"]))
        return self.docs[visit["_id"]]

    def mark_cancelled(self, visit_id: str) -> bool:
        doc = self._at(visit_id, STORING)
        if doc:
            self.docs[visit_id] = {**{k: v for k, v in doc.items() if k not in ("plan", "step")}, "status": CANCELLED}
        return doc is not None

    def cancelling_before(self, cutoff) -> list[dict]:
        return []  # cancels are tested against the real datastore (integration/test_visit_cancel.py)

    def pending_before(self, cutoff) -> list[dict]:
        # The fake's clock: a visit is "old" for any cutoff after the fixed now the tests book at.
        return [dict(d) for d in self.docs.values() if d["status"] == PENDING and cutoff > self.young_until]

    young_until = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


class FakePartBookings(FakeBookings):
    def get_many(self, ids) -> dict[str, dict]:
        return {i: self.docs[i] for i in ids if i in self.docs}


def fake_store_parts(bookings: FakePartBookings, docs: list[dict]) -> list[dict]:
    for doc in docs:
        if doc["_id"] not in bookings.docs:
            bookings.create(doc, f"booking.{doc['status']}")
    return [bookings.docs[doc["_id"]] for doc in docs]


class FakeVisitLedger(FakeLedger):
    def __init__(self, journal: list):
        super().__init__(journal)
        self.marks: dict[tuple[str, str], str] = {}

    def claim(self, provider_id, booking_id, span, slot_rev=1, visit_id=None) -> bool:
        taken = super().claim(provider_id, booking_id, span, slot_rev)
        if taken and visit_id:
            self.marks[(provider_id, booking_id)] = visit_id
        return taken

    def holds(self, places) -> set:
        return {(p, b, s) for p, b, s in places
                if any(eb == b and es.start == s and r == 1 for eb, es, r in self.entries.get(p, []))}

    def marked(self) -> list[tuple]:
        """(provider, booking, span, visit) of every held span a visit claimed."""
        return [(p, b, s, self.marks[(p, b)]) for p, held in self.entries.items() for b, s, _ in held
                if (p, b) in self.marks]


class ServiceSchedules:
    def __init__(self, by_service: dict):
        self.by_service = by_service

    def windows(self, location_id, first, last, service_id, provider_id=None, language=None, patient_state=None):
        return self.by_service[service_id]
