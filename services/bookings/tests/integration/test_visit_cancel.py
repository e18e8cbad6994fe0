"""Cancelling a combined visit against the demo practice and the real datastore and broker: both parts
cancelled and their spans free, `visit.cancelled` once, who may do it, one part cancelled alone leaving
the other booked, and a cancel whose request died half-way finished by the relay's housekeeping."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from clinic_common.runner import build_relay

from bookings import visit_operations
from bookings.api.visits import deps as visit_deps
from bookings.config import OUTBOX_COLLECTIONS
from bookings.relay import housekeeping
from bookings.visit_housekeeping import SETTLE_AFTER

from .test_visits_api import visit_body

NOT_YOURS = "No visit with that id is available to you."


@pytest.fixture
def visit(client):
    booked = client.post("/api/v1/visits", json=visit_body())
    assert booked.status_code == 201, booked.json
    return booked.json


def token_of(visit: dict) -> dict:
    return {"X-Manage-Token": visit["manage_token"]}


def held(db) -> list[str]:
    return sorted(e["b"] for doc in db.provider_ledgers.find() for e in doc.get("busy", []))


def relay_once(settings) -> None:
    relay = build_relay(settings, "bookings", OUTBOX_COLLECTIONS)
    relay.relay_once()
    relay.close()


def test_cancelling_a_visit_cancels_both_parts_frees_their_spans_and_announces_it_once(settings, client, db, visit,
                                                                                      event_tap):
    visits, cancels = event_tap("visit.cancelled"), event_tap("booking.cancelled")
    response = client.post(f"/api/v1/visits/{visit['id']}/cancel", json={"reason": "moving away"},
                           headers=token_of(visit))
    assert response.status_code == 200, response.json
    cancelled = response.json
    assert cancelled["id"] == visit["id"] and cancelled["status"] == "cancelled"
    assert [b["id"] for b in cancelled["bookings"]] == [b["id"] for b in visit["bookings"]]
    for part in cancelled["bookings"]:
        assert (part["status"], part["cancel_reason"], part["cancelled_with_visit"]) == (
            "cancelled", "moving away", True)
    assert held(db) == []
    stored = db.visits.find_one({"_id": visit["id"]})
    assert [e["type"] for e in stored["outbox"]] == ["visit.booked", "visit.cancelled"] and "cancelling" not in stored
    slots = client.get("/api/v1/availability?service_id=therapy-cbt&location_id=jonesboro&from=2026-12-07"
                       "&to=2026-12-07&provider_id=hannah-brooks").json["slots"]
    assert "2026-12-07T09:00:00-06:00" in [s["start"] for s in slots]  # free again at once

    relay_once(settings)
    [(_, event)] = visits.drain(1)
    data = event["data"]
    assert event["type"] == "visit.cancelled" and data["id"] == visit["id"] and data["status"] == "cancelled"
    assert data["patient"]["email"] == visit["patient"]["email"]
    assert [(p["id"], p["status"], p["cancelled_with_visit"]) for p in data["parts"]] == [
        (b["id"], "cancelled", True) for b in visit["bookings"]]
    assert "anxious" not in str(data) and "notes" not in str(data) and "hash" not in str(data)
    parts = cancels.drain(2)
    assert sorted(e["data"]["id"] for _, e in parts) == sorted(b["id"] for b in visit["bookings"])
    assert all(e["data"]["cancelled_with_visit"] and e["data"]["visit_id"] == visit["id"] for _, e in parts)

    again = client.post(f"/api/v1/visits/{visit['id']}/cancel", json={}, headers=token_of(visit))
    assert again.status_code == 409 and again.content_type == "application/problem+json"
    assert [e["type"] for e in db.visits.find_one({"_id": visit["id"]})["outbox"]] in (
        ["visit.booked", "visit.cancelled"], [])  # relayed events may already be gone: never a second one


def test_staff_may_cancel_a_visit_without_a_body(client, db, visit, staff):
    response = client.post(f"/api/v1/visits/{visit['id']}/cancel", headers=staff)
    assert response.status_code == 200, response.json
    assert {b["status"] for b in response.json["bookings"]} == {"cancelled"} and held(db) == []


def test_only_staff_or_the_visits_token_may_cancel_and_anything_else_is_the_same_404(client, db, visit, clinician):
    other = client.post("/api/v1/visits", json=visit_body(therapy="2026-12-07T13:00:00-06:00",
                                                          meds="2026-12-07T14:00:00-06:00")).json
    path = f"/api/v1/visits/{visit['id']}/cancel"
    part = f"/api/v1/visits/{visit['bookings'][0]['id']}/cancel"  # a part's id is not its visit's
    for headers, where in (({}, path), (token_of(other), path), ({"X-Manage-Token": "wrong"}, path),
                           (clinician("hannah-brooks"), path),
                           (token_of(visit), "/api/v1/visits/" + "0" * 32 + "/cancel"),
                           (token_of(visit), "/api/v1/visits/not-an-id/cancel"), (token_of(visit), part)):
        refused = client.post(where, json={}, headers=headers)
        assert refused.status_code == 404 and refused.content_type == "application/problem+json"
        assert refused.json["detail"] == NOT_YOURS
    assert db.bookings.count_documents({"status": "confirmed"}) == 4 and len(held(db)) == 4
    assert db.visits.count_documents({"status": "booked", "cancelling": {"$exists": False}}) == 2


def test_a_bad_body_is_422_and_changes_nothing(client, db, visit):
    refused = client.post(f"/api/v1/visits/{visit['id']}/cancel", json={"reason": "x" * 501}, headers=token_of(visit))
    assert refused.status_code == 422 and refused.content_type == "application/problem+json"
    assert db.bookings.count_documents({"status": "confirmed"}) == 2 and len(held(db)) == 2


def test_cancelling_one_part_leaves_the_other_booked_and_its_event_names_the_visit(settings, client, db, visit,
                                                                                  event_tap):
    cancels = event_tap("booking.cancelled")
    therapy, meds = visit["bookings"]
    one = client.post(f"/api/v1/bookings/{therapy['id']}/cancel", json={"reason": "only meds"}, headers=token_of(visit))
    assert one.status_code == 200, one.json
    assert one.json["status"] == "cancelled" and one.json["visit_id"] == visit["id"]
    assert "cancelled_with_visit" not in one.json
    assert client.get(f"/api/v1/bookings/{meds['id']}", headers=token_of(visit)).json["status"] == "confirmed"
    assert held(db) == [meds["id"]]
    shown = client.get(f"/api/v1/visits/{visit['id']}", headers=token_of(visit)).json
    assert shown["status"] == "booked" and [b["status"] for b in shown["bookings"]] == ["cancelled", "confirmed"]

    relay_once(settings)
    [(_, event)] = cancels.drain(1)
    assert event["data"]["id"] == therapy["id"] and event["data"]["visit_id"] == visit["id"]
    assert "cancelled_with_visit" not in event["data"]

    # The visit's cancel then ends the part still booked; the part cancelled alone keeps its own reason.
    rest = client.post(f"/api/v1/visits/{visit['id']}/cancel", json={"reason": "changed my mind"},
                       headers=token_of(visit))
    assert rest.status_code == 200, rest.json
    assert [(b["status"], b["cancel_reason"], b.get("cancelled_with_visit")) for b in rest.json["bookings"]] == [
        ("cancelled", "only meds", None), ("cancelled", "changed my mind", True)]
    assert held(db) == []


def test_a_visit_with_no_part_left_to_cancel_is_409(client, db, visit, staff):
    for part in visit["bookings"]:
        assert client.post(f"/api/v1/bookings/{part['id']}/cancel", json={}, headers=staff).status_code == 200
    refused = client.post(f"/api/v1/visits/{visit['id']}/cancel", json={}, headers=staff)
    assert refused.status_code == 409 and refused.content_type == "application/problem+json"
    stored = db.visits.find_one({"_id": visit["id"]})
    assert stored["status"] == "booked" and "cancelling" not in stored


def test_each_cancel_is_audited_with_the_visit_and_its_parts(client, db, visit):
    client.post(f"/api/v1/visits/{visit['id']}/cancel", json={})
    client.post(f"/api/v1/visits/{visit['id']}/cancel", json={}, headers=token_of(visit))
    found = db.audit.find({"action": "visit.cancel"}).sort("at")
    entries = [(e["action"], e["outcome"], e["target_ids"]) for e in found]
    parts = [b["id"] for b in visit["bookings"]]
    assert entries == [("visit.cancel", 404, [visit["id"]]), ("visit.cancel", 200, [visit["id"], *parts])]
    assert db.audit.find_one({"action": "visit.cancel", "outcome": 200})["actor"] == "manage-token"


class Killed(BaseException):
    """The process dies here: nothing in the request runs after it (not even `except Exception`)."""


def cancel_until_killed(app, visit_id: str, step: str) -> None:
    def die_at(reached: str) -> None:
        if reached == step:
            raise Killed()

    with app.test_request_context():
        deps = visit_deps()
        deps.checkpoint = die_at
        with pytest.raises(Killed):
            visit_operations.cancel_visit(deps, visit_id, "storm")


def settled_later(db) -> None:
    """The relay's housekeeping, as if it ran after SETTLE_AFTER (the visit's stamp is moved back instead)."""
    earlier = datetime.now(timezone.utc) - SETTLE_AFTER - timedelta(seconds=1)
    db.visits.update_many({}, {"$set": {"updated_at": earlier}})
    housekeeping(db)()


@pytest.mark.parametrize("step", ["cancel-noted", "part-cancelled-1", "part-cancelled-2", "parts-freed"])
def test_a_cancel_killed_half_way_is_finished_by_housekeeping(app, client, db, visit, step):
    cancel_until_killed(app, visit["id"], step)
    stored = db.visits.find_one({"_id": visit["id"]})
    assert stored["status"] == "booked" and stored["cancelling"] == {"reason": "storm"}
    again = client.post(f"/api/v1/visits/{visit['id']}/cancel", json={}, headers=token_of(visit))
    assert again.status_code == 409  # one cancel at a time: the noted one is finished, not a second begun

    housekeeping(db)()  # too young to judge: perhaps a request still at work
    assert db.visits.find_one({"_id": visit["id"]})["status"] == "booked"
    settled_later(db)

    stored = db.visits.find_one({"_id": visit["id"]})
    assert stored["status"] == "cancelled" and "cancelling" not in stored
    assert [e["type"] for e in stored["outbox"] if e["type"] == "visit.cancelled"] == ["visit.cancelled"]
    parts = list(db.bookings.find({"visit_id": visit["id"]}))
    assert {(p["status"], p["cancel_reason"], p["cancelled_with_visit"]) for p in parts} == {
        ("cancelled", "storm", True)}
    assert held(db) == []
    settled_later(db)  # settled once: nothing more happens
    assert [e["type"] for e in db.visits.find_one({"_id": visit["id"]})["outbox"]].count("visit.cancelled") <= 1
    assert db.bookings.count_documents({"visit_id": visit["id"], "version": {"$gt": 2}}) == 0
