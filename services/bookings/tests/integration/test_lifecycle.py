"""Cancel, reschedule and the staff transitions: allowed moves only, slots freed or taken atomically."""
from datetime import datetime, timezone

import pytest


def _slots(client, day="2026-12-07", provider="hannah-brooks"):
    answer = client.get(f"/api/v1/availability?service_id=therapy-cbt&location_id=jonesboro&from={day}&to={day}"
                        f"&provider_id={provider}")
    assert answer.status_code == 200, answer.json
    return [s["start"] for s in answer.json["slots"]]


def _as_patient(booking):
    return {"X-Manage-Token": booking["manage_token"]}


def test_cancelling_frees_the_slot_at_once(client, book):
    booking = book()
    assert "2026-12-07T09:00:00-06:00" not in _slots(client)
    cancelled = client.post(f"/api/v1/bookings/{booking['id']}/cancel", json={"reason": "feeling better"},
                            headers=_as_patient(booking))
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"
    assert cancelled.json["cancel_reason"] == "feeling better"
    assert "2026-12-07T09:00:00-06:00" in _slots(client)
    again = client.post(f"/api/v1/bookings/{booking['id']}/cancel", json={}, headers=_as_patient(booking))
    assert again.status_code == 409 and again.content_type == "application/problem+json"


def test_rescheduling_takes_the_new_slot_and_frees_the_old(client, book, db):
    booking = book()
    moved = client.post(f"/api/v1/bookings/{booking['id']}/reschedule", json={"start": "2026-12-07T11:00:00-06:00"},
                        headers=_as_patient(booking))
    assert moved.status_code == 200, moved.json
    assert moved.json["start"] == "2026-12-07T11:00:00-06:00"
    free = _slots(client)
    assert "2026-12-07T09:00:00-06:00" in free and "2026-12-07T11:00:00-06:00" not in free
    [ledger] = list(db.provider_ledgers.find({"_id": "hannah-brooks"}))
    assert [(e["b"], e["r"]) for e in ledger["busy"]] == [(booking["id"], 2)]


def test_rescheduling_onto_a_taken_slot_changes_nothing(client, book, db):
    first, second = book(), book(start="2026-12-07T10:00:00-06:00")
    refused = client.post(f"/api/v1/bookings/{first['id']}/reschedule", json={"start": "2026-12-07T10:00:00-06:00"},
                          headers=_as_patient(first))
    assert refused.status_code == 409
    assert client.get(f"/api/v1/bookings/{first['id']}", headers=_as_patient(first)).json["start"] == "2026-12-07T09:00:00-06:00"
    assert sorted(e["b"] for e in db.provider_ledgers.find_one({"_id": "hannah-brooks"})["busy"]) == sorted([first["id"], second["id"]])


def test_rescheduling_to_another_provider_moves_the_slot_between_ledgers(client, book, db, staff):
    booking = book(location="paragould", provider="miguel-santos", start="2026-12-07T09:00:00-06:00")
    moved = client.post(f"/api/v1/bookings/{booking['id']}/reschedule",
                        json={"start": "2026-12-08T09:00:00-06:00", "provider_id": "lucia-ramirez"}, headers=staff)
    assert moved.status_code == 200, moved.json
    assert moved.json["provider_id"] == "lucia-ramirez" and moved.json["provider"]["name"] == "Lucía Ramírez"
    assert db.provider_ledgers.find_one({"_id": "miguel-santos"})["busy"] == []
    assert [e["b"] for e in db.provider_ledgers.find_one({"_id": "lucia-ramirez"})["busy"]] == [booking["id"]]


def test_a_reschedule_to_a_slot_that_never_was_is_422(client, book):
    booking = book()
    refused = client.post(f"/api/v1/bookings/{booking['id']}/reschedule", json={"start": "2026-12-07T09:30:00-06:00"},
                          headers=_as_patient(booking))
    assert refused.status_code == 422 and "start" in refused.json["errors"]


@pytest.mark.parametrize("path, from_status", [
    ("check-in", "confirmed"), ("complete", "checked_in"), ("no-show", "confirmed"), ("confirm", "requested"),
])
def test_staff_transitions_follow_the_lifecycle(app, client, book, staff, path, from_status):
    booking = book(service="intake") if from_status == "requested" else book()
    # the visit's morning, after its 09:00 start: check-in is on its day, complete and no-show after it began
    app.extensions["clock"] = lambda: datetime(2026, 12, 7, 15, 30, tzinfo=timezone.utc)
    if from_status == "checked_in":
        client.post(f"/api/v1/bookings/{booking['id']}/check-in", headers=staff)
    changed = client.post(f"/api/v1/bookings/{booking['id']}/{path}", headers=staff)
    assert changed.status_code == 200, changed.json
    repeated = client.post(f"/api/v1/bookings/{booking['id']}/{path}", headers=staff)
    assert repeated.status_code == 409


def test_staff_transitions_are_for_staff(client, book, clinician):
    booking = book()
    assert client.post(f"/api/v1/bookings/{booking['id']}/check-in", headers=_as_patient(booking)).status_code == 401
    assert client.post(f"/api/v1/bookings/{booking['id']}/check-in", headers=clinician("hannah-brooks")).status_code == 403


def test_every_read_and_change_is_audited_without_patient_details(client, book, db, staff):
    booking = book()
    client.get(f"/api/v1/bookings/{booking['id']}", headers=_as_patient(booking))
    client.get(f"/api/v1/bookings/{booking['id']}", headers={"X-Manage-Token": "wrong"})
    client.post(f"/api/v1/bookings/{booking['id']}/cancel", json={}, headers=staff)
    trail = list(db.audit.find({"target_ids": booking["id"]}).sort("at", 1))
    assert [(t["action"], t["actor"], t["outcome"]) for t in trail] == [
        ("booking.create", "public", 201), ("booking.read", "manage-token", 200),
        ("booking.read", "manage-token", 404), ("booking.cancel", "front-desk", 200)]
    assert all(t["request_id"] for t in trail)
    assert "Ana" not in str(trail) and "ana@example.com" not in str(trail)
