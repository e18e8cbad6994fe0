"""Fakes at the service layer's boundaries (operations.Deps): the bookings repository, the ledger,
the locations adapter and the clock. Each keeps what happened in `journal`, so a test can say in
which order the steps ran; each can be told to fail where the real one might."""
from __future__ import annotations

from datetime import datetime

from clinic_common.errors import Conflict, NotFound

from bookings.domain.slots import Span


class FakeBookings:
    def __init__(self, journal: list):
        self.docs: dict[str, dict] = {}
        self.events: list[str] = []
        self.journal = journal
        self.fail_create: Exception | None = None    # raised after the document was (maybe) stored
        self.meanwhile = None                         # change(doc) applied just before the next compare-and-set

    def get(self, booking_id: str) -> dict | None:
        return self.docs.get(booking_id)

    def require(self, booking_id: str) -> dict:
        if booking_id not in self.docs:
            raise NotFound(f"No booking '{booking_id}'.")
        return self.docs[booking_id]

    def create(self, doc: dict, event_type: str) -> dict:
        if self.fail_create is not None:
            raise self.fail_create
        if doc["_id"] in self.docs:
            raise Conflict(f"A booking with id '{doc['_id']}' already exists.")
        return self._store({**doc, "version": 1}, event_type)

    def change(self, booking_id: str, apply, event_type: str) -> dict:
        current = self.require(booking_id)
        return self._store({**apply(current), "version": current["version"] + 1}, event_type)

    def replace_if_unchanged(self, current: dict, new: dict, event_type: str) -> dict | None:
        if self.meanwhile is not None:
            changed, self.meanwhile = self.meanwhile, None
            self._store({**changed(self.docs[current["_id"]]), "version": current["version"] + 1}, "meanwhile")
        if self.docs[current["_id"]]["version"] != current["version"]:
            return None
        return self._store({**new, "version": current["version"] + 1}, event_type)

    def _store(self, doc: dict, event_type: str) -> dict:
        self.docs[doc["_id"]] = doc
        self.events.append(event_type)
        self.journal.append(("stored", doc["_id"], event_type))
        return doc


class FakeLedger:
    """Entries as the real ledger keeps them: booking, span, slot_rev, per provider."""

    def __init__(self, journal: list):
        self.entries: dict[str, list[tuple[str, Span, int]]] = {}
        self.journal = journal

    def claim(self, provider_id: str, booking_id: str, span: Span, slot_rev: int = 1) -> bool:
        held = self.entries.setdefault(provider_id, [])
        if any(b != booking_id and s.overlaps(span) for b, s, _ in held):
            self.journal.append(("claim lost", provider_id, booking_id))
            return False
        held.append((booking_id, span, slot_rev))
        self.journal.append(("claimed", provider_id, booking_id))
        return True

    def release(self, provider_id: str, booking_id: str) -> None:
        self._drop(provider_id, lambda b, s, r: b == booking_id)

    def release_superseded(self, provider_id: str, booking_id: str, slot_rev: int) -> None:
        self._drop(provider_id, lambda b, s, r: b == booking_id and r < slot_rev)

    def release_entry(self, provider_id: str, booking_id: str, slot_rev: int, start: datetime) -> None:
        self._drop(provider_id, lambda b, s, r: b == booking_id and r == slot_rev and s.start == start)

    def spans(self, provider_id: str, booking_id: str) -> list[Span]:
        return [s for b, s, _ in self.entries.get(provider_id, []) if b == booking_id]

    def _drop(self, provider_id: str, matches) -> None:
        before = self.entries.get(provider_id, [])
        self.entries[provider_id] = [entry for entry in before if not matches(*entry)]
        if len(self.entries[provider_id]) != len(before):
            self.journal.append(("released", provider_id))


class FakeSchedules:
    """The locations adapter: the same schedule whatever is asked (tests build it from domain models)."""

    def __init__(self, schedule):
        self.schedule = schedule
        self.asked = 0

    def windows(self, location_id, first, last, service_id, provider_id=None, language=None, patient_state=None):
        self.asked += 1
        return self.schedule
