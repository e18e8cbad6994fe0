"""The order of an offer's steps (waitlist_operations.py) against fakes of the waitlist store, the ledger and
the provider catalogue: candidates, hold, offer, and nothing more; a lost race passes the hold on or lets
it go; a slot too soon is never asked about."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bookings.domain.slots import Policy
from bookings.domain.waitlist import FreedSlot, ProviderTraits
from bookings.waitlist_operations import WaitlistDeps, live_offer, offer_freed

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
START = datetime(2026, 12, 7, 15, 0, tzinfo=timezone.utc)
SLOT = FreedSlot("hannah", "jonesboro", "therapy-cbt", "in_person", START, START + timedelta(minutes=50),
                 START + timedelta(minutes=60), "America/Chicago")


def doc(entry_id: str, minutes_ago: int) -> dict:
    return {"_id": entry_id, "status": "waiting", "service_id": "therapy-cbt", "modality": "in_person",
            "location_ids": ["jonesboro"], "joined_at": NOW - timedelta(minutes=minutes_ago), "until": "2026-12-31",
            "windows": [], "provider_id": None, "language": None, "patient_state": "AR", "offered_keys": [],
            "version": 1}


class Calls(list):
    def record(self, *call):
        self.append(call)


class FakeWaitlist:
    def __init__(self, calls, docs, losing=()):
        self.calls, self.docs, self.losing = calls, docs, set(losing)

    def candidates(self, *args):
        self.calls.record("candidates", *args[:2])
        return list(self.docs)

    def replace_if_unchanged(self, current, new, event_type):
        self.calls.record("offer", current["_id"], event_type)
        return None if current["_id"] in self.losing else new


class FakeLedger:
    def __init__(self, calls, free=True):
        self.calls, self.free = calls, free

    def claim(self, provider_id, owner_id, span, slot_rev=1, visit_id=None, *, expires_at=None):
        self.calls.record("hold", provider_id, expires_at)
        return self.free

    def release_hold(self, provider_id, hold_id):
        self.calls.record("release", provider_id)


class FakeProviders:
    def traits(self, provider_id):
        return ProviderTraits(provider_id, frozenset({"en"}), frozenset({"AR"}))


def deps(calls, docs, losing=(), free=True) -> WaitlistDeps:
    return WaitlistDeps(waitlist=FakeWaitlist(calls, docs, losing), ledger=FakeLedger(calls, free), bookings=None,
                        schedules=None, providers=FakeProviders(), policy=Policy(), offer_minutes=15,
                        clock=lambda: NOW)


def test_an_offer_is_the_candidates_then_the_hold_then_one_write_to_the_longest_waiting():
    calls = Calls()
    offered = offer_freed(deps(calls, [doc("young", 5), doc("old", 50)]), SLOT, {"provider": {"name": "H"}})
    assert [c[0] for c in calls] == ["candidates", "hold", "offer"]
    assert calls[2] == ("offer", "old", "waitlist.offered") and calls[1][2] == NOW + timedelta(minutes=15)
    assert offered["status"] == "offered" and offered["offer"]["provider"] == {"name": "H"}
    assert offered["offered_keys"] == ["hannah@2026-12-07T15:00:00+00:00"]
    assert live_offer(offered, offered["offer"]["id"], NOW)["start"] == START


def test_an_entry_changed_meanwhile_passes_the_same_hold_to_the_next():
    calls = Calls()
    offered = offer_freed(deps(calls, [doc("a", 50), doc("b", 40)], losing={"a"}), SLOT, {})
    assert [c[0] for c in calls] == ["candidates", "hold", "offer", "offer"] and offered["_id"] == "b"


def test_a_hold_nobody_could_take_is_let_go_at_once():
    calls = Calls()
    assert offer_freed(deps(calls, [doc("a", 50)], losing={"a"}), SLOT, {}) is None
    assert [c[0] for c in calls] == ["candidates", "hold", "offer", "release"]


def test_a_slot_someone_else_took_writes_no_offer():
    calls = Calls()
    assert offer_freed(deps(calls, [doc("a", 50)], free=False), SLOT, {}) is None
    assert [c[0] for c in calls] == ["candidates", "hold"]


def test_a_slot_sooner_than_the_notice_is_never_asked_about():
    calls = Calls()
    soon = FreedSlot(*[getattr(SLOT, f) for f in ("provider_id", "location_id", "service_id", "modality")],
                     NOW + timedelta(hours=2), NOW + timedelta(hours=3), NOW + timedelta(hours=3), "America/Chicago")
    assert offer_freed(deps(calls, [doc("a", 50)]), soon, {}) is None and calls == []
