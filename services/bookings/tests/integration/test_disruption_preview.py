"""The disruption preview (POST /bookings/disruptions/preview) against a live locations service and the real
datastore: it names the bookings a closure or special hours would disrupt before anything is saved, writes
and publishes nothing, refuses bad input with a problem, and is for staff only."""
import pytest
import requests

from tests.integration.test_disruptions import PARAGOULD_MONDAY, events_of

PREVIEW = "/api/v1/bookings/disruptions/preview"


def ask(client, staff, closure, location="paragould"):
    return client.post(PREVIEW, json={"location_id": location, "closure": closure}, headers=staff)


def test_a_closure_preview_names_the_booking_on_that_day_and_changes_nothing(client, book, staff, db):
    monday = book(provider="miguel-santos", location="paragould", start=PARAGOULD_MONDAY)
    book(provider="miguel-santos", location="paragould", start="2026-12-09T09:00:00-06:00")  # Wednesday
    answer = ask(client, staff, {"from": "2026-12-07", "to": "2026-12-07", "reason": "Flood"})
    assert answer.status_code == 200, answer.json
    assert answer.json["disrupted_bookings"] == 1
    [named] = answer.json["bookings"]
    assert named["booking"]["id"] == monday["id"] and named["booking"]["patient"]["name"]
    assert named["reason"] == "closure" and "2026-12-07 (Flood)" in named["detail"]
    stored = client.get(f"/api/v1/bookings/{monday['id']}", headers=staff).json
    assert stored["disruption"] is None and events_of(db, monday["id"]) == ["booking.confirmed"]  # its booking alone
    assert ask(client, staff, {"from": "2026-12-07", "to": "2026-12-07"}, location="jonesboro").json == {
        "disrupted_bookings": 0, "bookings": []}


def test_special_hours_name_what_they_leave_out_and_what_the_save_then_counts(client, book, staff, live_locations):
    book(provider="miguel-santos", location="paragould", start=PARAGOULD_MONDAY)  # 9:00
    afternoon = {"from": "2026-12-07", "to": "2026-12-07", "reason": "Training",
                 "intervals": [{"open": "13:00", "close": "17:00"}]}
    named = ask(client, staff, afternoon).json["bookings"]
    assert [b["reason"] for b in named] == ["special_hours"] and "13:00-17:00" in named[0]["detail"]
    morning = {**afternoon, "intervals": [{"open": "08:00", "close": "12:00"}]}
    assert ask(client, staff, morning).json["disrupted_bookings"] == 0

    saved = requests.post(f"{live_locations}/api/v1/locations/paragould/closures", json=afternoon, headers=staff,
                          timeout=10)
    assert saved.status_code == 201
    scanned = client.post("/api/v1/bookings/disruptions/scan", json={"location_id": "paragould"}, headers=staff)
    assert scanned.json["disrupted_bookings"] == 1  # what the preview said
    assert ask(client, staff, afternoon).json["disrupted_bookings"] == 0  # disrupted already: not named twice


@pytest.mark.parametrize("closure, field", [
    ({"from": "2026-12-08", "to": "2026-12-07"}, "to"),
    ({"from": "2026-12-07"}, "to"),
    ({"from": "2026-12-07", "to": "2026-12-07", "intervals": [{"open": "13:00", "close": "09:00"}]}, "intervals"),
    ({"from": "2026-12-07", "to": "2026-12-07", "intervals": [{"open": "9am", "close": "17:00"}]}, "intervals"),
    ({"from": "2026-12-07", "to": "2026-12-07", "intervals": [{"open": "09:00", "close": "13:00"},
                                                             {"open": "12:00", "close": "17:00"}]}, "intervals"),
    ({"from": "2026-01-01", "to": "2027-06-01"}, "to"),
])
def test_bad_input_is_a_problem_naming_the_field(client, staff, closure, field):
    answer = ask(client, staff, closure)
    assert answer.status_code == 422 and answer.content_type.startswith("application/problem+json")
    assert field in str(answer.json)


def test_an_unknown_clinic_is_404_and_only_staff_may_ask(client, staff, clinician):
    assert ask(client, staff, {"from": "2026-12-07", "to": "2026-12-07"}, location="nowhere").status_code == 404
    anonymous = client.post(PREVIEW, json={"location_id": "paragould", "closure": {"from": "2026-12-07",
                                                                                   "to": "2026-12-07"}})
    assert anonymous.status_code == 401
    refused = client.post(PREVIEW, headers=clinician("miguel-santos"),
                          json={"location_id": "paragould", "closure": {"from": "2026-12-07", "to": "2026-12-07"}})
    assert refused.status_code == 403
