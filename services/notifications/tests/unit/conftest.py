"""Fakes of the notifications repositories, for the handler's unit tests: in memory, with the semantics the
real ones promise (insert-if-absent records, compare-and-set reminders, a `$max` of applied versions)."""
from __future__ import annotations

import copy

import pytest

from notifications.events.handlers import Stores


class FakeNotifications:
    def __init__(self):
        self.docs: dict[str, dict] = {}

    def record(self, docs: list[dict], now) -> None:
        for doc in docs:  # like $setOnInsert: whatever happened to a record since stays
            self.docs.setdefault(doc["_id"], {"status": "pending", "attempts": 0, "created_at": now,
                                              **copy.deepcopy(doc)})


class FakeReminders:
    def __init__(self):
        self.docs: dict[str, dict] = {}

    def get(self, reminder_id: str) -> dict | None:
        return copy.deepcopy(self.docs.get(reminder_id))

    def insert_new(self, reminders: dict[str, dict]) -> set[str]:
        existing = {rid for rid in reminders if rid in self.docs}
        for rid, fields in reminders.items():
            self.docs.setdefault(rid, {"_id": rid, **copy.deepcopy(fields)})
        return existing

    def replace_if_unchanged(self, reminder_id: str, current: dict | None, fields: dict) -> bool:
        stored = self.docs.get(reminder_id)
        if current is None or stored is None:
            if current is not None or stored is not None:
                return False  # created or removed meanwhile
            self.docs[reminder_id] = {"_id": reminder_id, **copy.deepcopy(fields)}
            return True
        if (stored.get("version"), stored.get("status")) != (current.get("version"), current.get("status")):
            return False
        stored.update(copy.deepcopy(fields))
        return True


class FakeVersions:
    def __init__(self):
        self.applied: dict[str, int] = {}

    def take_next(self, booking_id: str, version: int) -> str:
        from notifications.store.versions import APPLY, next_verdict

        verdict = next_verdict(self.applied.get(booking_id, 0), version)
        if verdict == APPLY:
            self.applied[booking_id] = version
        return verdict

    def advance(self, booking_id: str, version: int) -> bool:
        before = self.applied.get(booking_id)
        self.applied[booking_id] = max(before or 0, version)
        return before is None or before <= version


@pytest.fixture
def stores() -> Stores:
    return Stores(FakeNotifications(), FakeReminders(), FakeVersions())


class FakeDeliveryLog(FakeNotifications):
    """The sender's side of the notifications repository: claim one record, answer the order query, settle."""

    def __init__(self, claimable: dict, oldest_unsettled: int | None = None):
        super().__init__()
        self.claimable, self.oldest_unsettled, self.settled = claimable, oldest_unsettled, []

    def claim(self, now, lease_s: float, token: str) -> dict | None:
        note, self.claimable = self.claimable, None
        return None if note is None else {**note, "attempts": note.get("attempts", 0) + 1}

    def claim_by_id(self, note_id: str, now, lease_s: float, token: str) -> dict | None:
        if self.claimable is None or self.claimable["_id"] != note_id:
            return None
        return self.claim(now, lease_s, token)

    def oldest_unsettled_version(self, booking_id: str, channel: str) -> int | None:
        return self.oldest_unsettled

    def settle(self, doc: dict, token: str, fields: dict, event=None) -> bool:
        self.settled.append((fields, event))
        return True


class FakeChannel:
    def __init__(self):
        self.sent = []

    def send(self, notification_id: str, recipient: str, message) -> None:
        self.sent.append((notification_id, recipient, message))

    def close(self) -> None:
        pass


@pytest.fixture
def delivery_log():
    """FakeDeliveryLog(claimable, oldest_unsettled): one claimable record and the order query's answer."""
    return FakeDeliveryLog


@pytest.fixture
def channel() -> FakeChannel:
    return FakeChannel()
