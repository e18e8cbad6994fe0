"""Holds' rules without a datastore: the client-address proof, the held slot, liveness, and the order of
a hold's steps (place, ledger, document) with the refusals each gives."""
from datetime import datetime, timedelta, timezone

import pytest

from clinic_common.errors import Conflict, NotFound, Unprocessable

from bookings import hold_operations
from bookings.domain.holds import TooManyHolds, address_proof, is_hold_id, is_live, same_slot, vouched_address
from bookings.domain.tokens import hash_token

SECRET = "unit-test-secret-at-least-32-bytes-long!"
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
START = datetime(2026, 12, 7, 15, 0, tzinfo=timezone.utc)


def test_only_the_gateways_proof_vouches_for_an_address():
    proof = address_proof(SECRET, "203.0.113.9")
    assert vouched_address(SECRET, "203.0.113.9", proof) == "203.0.113.9"
    assert vouched_address(SECRET, "203.0.113.10", proof) is None          # another address
    assert vouched_address("another-secret-at-least-32-bytes-long", "203.0.113.9", proof) is None
    assert vouched_address(SECRET, "203.0.113.9", None) is None
    assert vouched_address(SECRET, None, proof) is None
    assert vouched_address("", "203.0.113.9", address_proof("", "203.0.113.9")) is None  # no secret, no trust


def test_the_gateway_and_bookings_compute_the_same_proof():
    import importlib
    import sys
    placeholder = sys.modules.get("gateway")  # importlib mode may have registered gateway/ as a namespace
    if placeholder is not None and getattr(placeholder, "__file__", None) is None:
        del sys.modules["gateway"]
    gateways = importlib.import_module("gateway.client_address").address_proof
    assert gateways(SECRET, "2001:db8::1") == address_proof(SECRET, "2001:db8::1")


def held(**changes):
    return {"_id": "a" * 32, "service_id": "therapy-cbt", "provider_id": "hannah-brooks", "location_id": "jonesboro",
            "start": START, "end": START + timedelta(minutes=50), "blocked_until": START + timedelta(hours=1),
            "token_hash": hash_token("t"), "place": "127.0.0.1|0", "expires_at": NOW + timedelta(minutes=10),
            "used_by": None, "released_at": None, **changes}


def body(**changes):
    return {"service_id": "therapy-cbt", "provider_id": "hannah-brooks", "location_id": "jonesboro",
            "start": START.astimezone(timezone(timedelta(hours=-6))), **changes}


def test_the_held_slot_is_compared_field_by_field_and_instant_by_instant():
    assert same_slot(held(), body()) == []
    assert same_slot(held(), body(start=START + timedelta(hours=1), provider_id="x")) == ["provider_id", "start"]


@pytest.mark.parametrize("changes, live", [({}, True), ({"used_by": "b" * 32}, False),
                                           ({"released_at": NOW}, False), ({"expires_at": NOW}, False)])
def test_a_hold_lives_until_it_expires_is_let_go_or_is_booked(changes, live):
    assert is_live(held(**changes), NOW) is live


def test_hold_ids_are_what_new_hold_id_makes():
    assert is_hold_id("0123456789abcdef" * 2) and not is_hold_id("../x") and not is_hold_id(None)


class FakeHolds:
    def __init__(self, docs=(), places=1):
        self.docs = {d["_id"]: d for d in docs}
        self.places_left, self.freed, self.journal = places, [], []

    def get(self, hold_id):
        self.journal.append(("get", hold_id))
        return self.docs.get(hold_id)

    def take_place(self, client, hold_id, until, now, limit):
        if self.places_left == 0:
            return None
        self.places_left -= 1
        return f"{client}|0"

    def free_place(self, place, hold_id, now):
        self.freed.append(hold_id)

    def create(self, doc):
        self.docs[doc["_id"]] = doc
        return doc

    def mark_released(self, hold_id, now):
        self.docs[hold_id]["released_at"] = now


class FakeLedger:
    def __init__(self, free=True):
        self.free, self.calls = free, []

    def claim(self, *args, **kwargs):
        self.calls.append(("claim", args, kwargs))
        return self.free

    def release_hold(self, provider_id, hold_id):
        self.calls.append(("release_hold", provider_id, hold_id))


class Booking:
    def __init__(self, ledger):
        self.ledger, self.clock = ledger, lambda: NOW


def deps(holds, ledger=None):
    return hold_operations.HoldDeps(booking=Booking(ledger or FakeLedger()), holds=holds, minutes=10, per_client=2)


@pytest.mark.parametrize("hold_id, token", [("a" * 32, "wrong"), ("a" * 32, None), ("f" * 32, "t"), ("nope", "t")])
def test_a_wrong_token_or_unknown_hold_is_the_same_404(hold_id, token):
    holds = FakeHolds([held()])
    with pytest.raises(NotFound) as refused:
        hold_operations.release(deps(holds), hold_id, token)
    with pytest.raises(NotFound) as refused_booking:
        hold_operations.held_for_booking(deps(holds), hold_id, token, body())
    assert refused.value.detail == refused_booking.value.detail
    assert holds.docs["a" * 32]["released_at"] is None and holds.freed == []


def test_letting_go_pulls_the_ledger_entry_and_frees_the_place_but_never_a_booking():
    ledger, holds = FakeLedger(), FakeHolds([held(), held(_id="b" * 32, used_by="c" * 32)])
    hold_operations.release(deps(holds, ledger), "a" * 32, "t")
    hold_operations.release(deps(holds, ledger), "b" * 32, "t")
    assert ledger.calls == [("release_hold", "hannah-brooks", "a" * 32)]
    assert holds.freed == ["a" * 32, "b" * 32]


def test_booking_from_a_hold_checks_the_slot_before_liveness():
    holds = FakeHolds([held(expires_at=NOW)])
    with pytest.raises(Unprocessable):
        hold_operations.held_for_booking(deps(holds), "a" * 32, "t", body(start=START + timedelta(hours=1)))
    with pytest.raises(Conflict, match="ran out"):
        hold_operations.held_for_booking(deps(holds), "a" * 32, "t", body())


def test_beyond_the_clients_places_nothing_is_claimed(monkeypatch):
    monkeypatch.setattr(hold_operations.operations, "_schedule_for", lambda *a: _schedule())
    ledger, holds = FakeLedger(), FakeHolds(places=0)
    with pytest.raises(TooManyHolds) as refused:
        hold_operations.hold(deps(holds, ledger), {**body(), "patient_state": "AR"}, "a" * 32, "t", "127.0.0.1")
    assert refused.value.status == 429 and ledger.calls == [] and holds.docs == {}


def test_a_taken_slot_gives_the_place_back(monkeypatch):
    from bookings.domain.errors import SlotTaken
    monkeypatch.setattr(hold_operations.operations, "_schedule_for", lambda *a: _schedule())
    ledger, holds = FakeLedger(free=False), FakeHolds(places=1)
    with pytest.raises(SlotTaken):
        hold_operations.hold(deps(holds, ledger), {**body(), "patient_state": "AR"}, "a" * 32, "t", "127.0.0.1")
    assert holds.freed == ["a" * 32] and holds.docs == {}


def test_a_hold_is_a_ledger_entry_that_expires_with_its_document(monkeypatch):
    monkeypatch.setattr(hold_operations.operations, "_schedule_for", lambda *a: _schedule())
    ledger, holds = FakeLedger(), FakeHolds(places=1)
    doc, token = hold_operations.hold(deps(holds, ledger), {**body(), "patient_state": "AR"}, "a" * 32, "t", "1.2.3.4")
    (_, args, kwargs), = ledger.calls
    assert args[:2] == ("hannah-brooks", "a" * 32) and kwargs == {"expires_at": NOW + timedelta(minutes=10)}
    assert doc["expires_at"] == doc["ends_at"] == NOW + timedelta(minutes=10)
    assert doc["token_hash"] == hash_token("t") and doc["client"] == "1.2.3.4" and doc["place"] == "1.2.3.4|0"


def _schedule():
    from types import SimpleNamespace

    from bookings.domain.slots import Service
    provider = SimpleNamespace(snapshot=lambda: {"name": "Hannah"})
    cadence = Service(duration=timedelta(minutes=50), buffer=timedelta(minutes=10))
    return SimpleNamespace(visit_type=SimpleNamespace(id="therapy-cbt", cadence=cadence),
                           location=SimpleNamespace(id="jonesboro", timezone="America/Chicago"),
                           modality="in_person", provider=lambda pid: provider)
