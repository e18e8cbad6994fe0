"""The change policy and the staff guards against the demo practice and the real datastore: a patient's late
cancel or move is 409 with the clinic's phone, staff's is recorded `late` (and its event says so), check-in
on another day and complete / no-show before the start are 409, and a plan's cancel by a patient leaves
its late visits booked. The clock starts at conftest's NOW (booking time) and is moved to the visit."""
from datetime import datetime, timezone

import pytest

from .conftest import booking_body
from .test_series_api import series_body
from .test_visits_api import visit_body

MONDAY_9 = datetime(2026, 12, 7, 15, 0, tzinfo=timezone.utc)   # booking_body()'s start, 09:00 in Jonesboro
SUNDAY_NOON = datetime(2026, 12, 6, 18, 0, tzinfo=timezone.utc)  # 21 hours before it: inside the 24-hour cutoff


@pytest.fixture
def booked(client):
    response = client.post("/api/v1/bookings", json=booking_body())
    assert response.status_code == 201, response.json
    return response.json


def _as_patient(thing):
    return {"X-Manage-Token": thing["manage_token"]}


def test_the_policy_is_public(client):
    answer = client.get("/api/v1/bookings/policy")
    assert answer.status_code == 200
    assert answer.json == {"cancel_cutoff_hours": 24.0, "min_notice_hours": 24.0, "booking_horizon_days": 90.0}


@pytest.mark.parametrize("path, body", [("cancel", {"reason": "ill"}), ("reschedule", {"start": "2026-12-09T11:00:00-06:00"})])
def test_a_patients_late_cancel_or_move_is_409_with_the_clinics_phone(client, db, clock, booked, path, body):
    clock.now = SUNDAY_NOON
    refused = client.post(f"/api/v1/bookings/{booked['id']}/{path}", json=body, headers=_as_patient(booked))
    assert refused.status_code == 409 and refused.content_type == "application/problem+json"
    phone = booked["location"]["phone"]
    assert phone and refused.json["type"] == "/problems/late-change"
    assert refused.json["phone"] == phone and phone in refused.json["detail"]
    assert refused.json["cancel_cutoff_hours"] == 24
    stored = db.bookings.find_one({"_id": booked["id"]})
    assert stored["status"] == "confirmed" and stored["version"] == 1
    assert [e["b"] for e in db.provider_ledgers.find_one({"_id": "hannah-brooks"})["busy"]] == [booked["id"]]


def test_a_patients_cancel_outside_the_cutoff_goes_through_not_late(client, booked):
    cancelled = client.post(f"/api/v1/bookings/{booked['id']}/cancel", json={}, headers=_as_patient(booked))
    assert cancelled.status_code == 200 and "late" not in cancelled.json


def test_staff_may_cancel_late_and_the_booking_and_its_event_say_so(client, db, clock, booked, staff):
    clock.now = SUNDAY_NOON
    cancelled = client.post(f"/api/v1/bookings/{booked['id']}/cancel", json={"reason": "called"}, headers=staff)
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"
    assert cancelled.json["late"] is True
    assert client.get(f"/api/v1/bookings/{booked['id']}", headers=staff).json["late"] is True
    event = db.bookings.find_one({"_id": booked["id"]})["outbox"][-1]
    assert event["type"] == "booking.cancelled" and event["data"]["late"] is True


def test_staff_may_move_late_and_it_is_recorded(client, db, clock, booked, staff):
    clock.now = SUNDAY_NOON
    moved = client.post(f"/api/v1/bookings/{booked['id']}/reschedule", json={"start": "2026-12-09T11:00:00-06:00"},
                        headers=staff)
    assert moved.status_code == 200, moved.json
    assert moved.json["late"] is True and moved.json["start"] == "2026-12-09T11:00:00-06:00"
    event = db.bookings.find_one({"_id": booked["id"]})["outbox"][-1]
    assert event["type"] == "booking.rescheduled" and event["data"]["late"] is True


@pytest.mark.parametrize("now", [SUNDAY_NOON, datetime(2026, 12, 8, 6, 0, tzinfo=timezone.utc)])  # Tue 00:00 there
def test_check_in_on_another_day_is_409(client, clock, booked, staff, now):
    clock.now = now
    refused = client.post(f"/api/v1/bookings/{booked['id']}/check-in", headers=staff)
    assert refused.status_code == 409 and refused.json["type"] == "/problems/not-visit-day"
    assert "2026-12-07" in refused.json["detail"]


def test_check_in_early_that_morning_then_complete_only_after_the_start(client, clock, booked, staff):
    clock.now = datetime(2026, 12, 7, 13, 0, tzinfo=timezone.utc)   # 07:00 in Jonesboro, 09:00 visit
    assert client.post(f"/api/v1/bookings/{booked['id']}/check-in", headers=staff).status_code == 200
    refused = client.post(f"/api/v1/bookings/{booked['id']}/complete", headers=staff)
    assert refused.status_code == 409 and refused.json["type"] == "/problems/too-early"
    clock.now = MONDAY_9
    assert client.post(f"/api/v1/bookings/{booked['id']}/complete", headers=staff).json["status"] == "completed"


def test_a_no_show_before_the_start_is_409(client, clock, booked, staff):
    clock.now = datetime(2026, 12, 7, 14, 59, tzinfo=timezone.utc)
    refused = client.post(f"/api/v1/bookings/{booked['id']}/no-show", headers=staff)
    assert refused.status_code == 409 and refused.json["type"] == "/problems/too-early"
    clock.now = datetime(2026, 12, 7, 15, 15, tzinfo=timezone.utc)
    assert client.post(f"/api/v1/bookings/{booked['id']}/no-show", headers=staff).json["status"] == "no_show"


@pytest.fixture
def series(client):
    created = client.post("/api/v1/series", json=series_body(count=3))   # Mondays 7, 14, 21 December, 10:00
    assert created.status_code == 201, created.json
    return created.json


def _statuses(client, series, headers):
    shown = client.get(f"/api/v1/series/{series['id']}", headers=headers).json
    return [o["status"] for o in shown["occurrences"]]


def test_a_patients_series_cancel_leaves_the_late_visit_booked_and_names_it(client, db, clock, series):
    clock.now = SUNDAY_NOON
    first = series["bookings"][0]
    answer = client.post(f"/api/v1/series/{series['id']}/cancel", json={}, headers=_as_patient(series))
    assert answer.status_code == 200, answer.json
    assert [o["booking_id"] for o in answer.json["late_remaining"]] == [first["id"]]
    assert answer.json["late_remaining"][0]["start"] == "2026-12-07T10:00:00-06:00"
    assert answer.json["status"] == "active" and answer.json["location"]["phone"]
    assert _statuses(client, series, _as_patient(series)) == ["confirmed", "cancelled", "cancelled"]
    assert db.bookings.count_documents({"late": True}) == 0
    again = client.post(f"/api/v1/series/{series['id']}/cancel", json={}, headers=_as_patient(series))
    assert again.status_code == 409 and again.json["type"] == "/problems/late-change"
    assert again.json["phone"] == answer.json["location"]["phone"]
    assert _statuses(client, series, _as_patient(series)) == ["confirmed", "cancelled", "cancelled"]


def test_staffs_series_cancel_cancels_the_late_visit_too_marked_late(client, db, clock, series, staff):
    clock.now = SUNDAY_NOON
    answer = client.post(f"/api/v1/series/{series['id']}/cancel", json={}, headers=staff)
    assert answer.status_code == 200, answer.json
    assert answer.json["late_remaining"] == [] and answer.json["status"] == "cancelled"
    late = {b["_id"]: b.get("late") for b in db.bookings.find({"series_id": series["id"]})}
    assert late == {series["bookings"][0]["id"]: True, series["bookings"][1]["id"]: None,
                    series["bookings"][2]["id"]: None}
    event = db.bookings.find_one({"_id": series["bookings"][0]["id"]})["outbox"][-1]
    assert event["data"]["late"] is True and event["data"]["cancelled_with_series"] is True


def test_a_patients_series_cancel_from_a_later_date_is_not_touched_by_the_cutoff(client, clock, series):
    clock.now = SUNDAY_NOON
    answer = client.post(f"/api/v1/series/{series['id']}/cancel", json={"from": "2026-12-20T00:00:00-06:00"},
                         headers=_as_patient(series))
    assert answer.status_code == 200 and answer.json["late_remaining"] == []
    assert _statuses(client, series, _as_patient(series)) == ["confirmed", "confirmed", "cancelled"]


@pytest.fixture
def visit(client):
    booked = client.post("/api/v1/visits", json=visit_body())   # Monday 7 December, 09:00 and 10:00
    assert booked.status_code == 201, booked.json
    return booked.json


def test_a_patients_late_visit_cancel_is_refused_whole(client, db, clock, visit):
    clock.now = SUNDAY_NOON
    refused = client.post(f"/api/v1/visits/{visit['id']}/cancel", json={}, headers=_as_patient(visit))
    assert refused.status_code == 409 and refused.json["type"] == "/problems/late-change"
    assert refused.json["phone"] == visit["bookings"][0]["location"]["phone"]
    assert db.visits.find_one({"_id": visit["id"]})["status"] == "booked"
    assert {b["status"] for b in db.bookings.find()} == {"confirmed"}


def test_staffs_late_visit_cancel_marks_each_part_late(client, db, clock, visit, staff):
    clock.now = SUNDAY_NOON
    answer = client.post(f"/api/v1/visits/{visit['id']}/cancel", json={}, headers=staff)
    assert answer.status_code == 200, answer.json
    assert [(p["status"], p["late"]) for p in answer.json["bookings"]] == [("cancelled", True), ("cancelled", True)]


def test_a_patients_visit_cancel_in_time_is_not_late(client, db, visit):
    answer = client.post(f"/api/v1/visits/{visit['id']}/cancel", json={}, headers=_as_patient(visit))
    assert answer.status_code == 200 and [p.get("late") for p in answer.json["bookings"]] == [None, None]
    assert db.visits.find_one({"_id": visit["id"]}).get("cancelling") is None
