"""End to end: the stack as `make run` starts it — a booking through the gateway reaches notifications,
errors are problem+json with a request id, and Ctrl-C leaves no process behind.

Tests run in file order and share one stack; the last one stops it.
"""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest
import requests

pytestmark = [pytest.mark.system, pytest.mark.integration, pytest.mark.timeout(300)]

COMPONENTS = ("mongo", "rabbitmq", "locations", "bookings", "notifications",
              "locations-relay", "bookings-relay", "bookings-worker", "notifications-worker")
PROBLEM_JSON = "application/problem+json"


PATIENT = {"name": "Test Patient", "email": "patient@example.com", "phone": "+15555550123",
           "language": "en", "state": "AR"}


def listed(stack, path: str, key: str, **params) -> list[dict]:
    response = requests.get(f"{stack.base_url}/api/v1/{path}", params=params, timeout=10)
    assert response.status_code == 200, f"GET {path}: {response.status_code} {response.text}"
    return response.json()[key]


def a_free_slot(stack, days_ahead: int = 10) -> tuple[str, dict]:
    """(service id, slot) about ten days ahead, found as a patient would: services, locations, availability.

    The practice is the demo one that `make run` seeds into an empty datastore, so nothing is hard-coded.
    """
    services = [s for s in listed(stack, "services", "services") if "in_person" in s.get("modalities", [])]
    services.sort(key=lambda s: bool(s.get("requires_confirmation")))  # straight to `confirmed` when possible
    locations = [loc for loc in listed(stack, "locations", "locations") if "in_person" in loc.get("modalities", [])]
    first = datetime.now(timezone.utc).date() + timedelta(days=days_ahead)
    window = {"from": first.isoformat(), "to": (first + timedelta(days=7)).isoformat()}
    for service in services:
        for location in locations:
            slots = listed(stack, "availability", "slots", service_id=service["id"], location_id=location["id"],
                           **window)
            if slots:
                return service["id"], slots[0]
    pytest.fail(f"no free in-person slot in {window} for {len(services)} services at {len(locations)} locations "
                f"(was the demo practice seeded?)\n{stack.log_tail()}")


def booking_body(stack) -> dict:
    service_id, slot = a_free_slot(stack)
    return {"service_id": service_id, "provider_id": slot["provider_id"], "location_id": slot["location_id"],
            "start": slot["start"], "patient": dict(PATIENT)}


def notifications_of(stack, booking_id: str) -> list[dict]:
    response = requests.get(f"{stack.base_url}/api/v1/notifications", params={"booking_id": booking_id},
                            headers=stack.staff_headers(), timeout=10)
    assert response.status_code == 200, response.text
    body = response.json()
    records = body.get("notifications", []) if isinstance(body, dict) else body
    return [record for record in records if record.get("booking_id") == booking_id]


def assert_problem(response, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith(PROBLEM_JSON)
    assert response.json()["status"] == status
    assert response.headers.get("X-Request-ID")


def test_health_reports_every_component_ok(stack):
    status, body = stack.health()
    assert status == 200, body
    components = body["components"]
    down = {name: components.get(name) for name in COMPONENTS if (components.get(name) or {}).get("status") != "ok"}
    assert not down, f"not ok: {down}"


def test_a_booking_through_the_gateway_reaches_notifications(stack):
    response = requests.post(f"{stack.base_url}/api/v1/bookings", json=booking_body(stack), timeout=15)
    assert response.status_code == 201, response.text
    assert response.headers.get("X-Request-ID")
    booking = response.json()
    assert booking["id"] and booking["manage_token"]

    deadline = time.monotonic() + 15
    records = notifications_of(stack, booking["id"])
    while not records and time.monotonic() < deadline:
        time.sleep(0.25)
        records = notifications_of(stack, booking["id"])
    assert records, f"no notification for booking {booking['id']} within 15 s\n{stack.log_tail()}"


def test_an_unknown_route_is_a_404_problem(stack):
    assert_problem(requests.get(f"{stack.base_url}/api/v1/no-such-thing", timeout=10), 404)


def test_malformed_json_is_a_400_problem(stack):
    response = requests.post(f"{stack.base_url}/api/v1/bookings", data=b'{"service_id": ',
                             headers={"Content-Type": "application/json"}, timeout=10)
    assert_problem(response, 400)


ARKANSAS_CLINICS = {"jonesboro": "Jonesboro", "paragould": "Paragould", "ash-flat": "Ash Flat"}
WEEKDAYS_8_TO_5 = {d: [{"open": "08:00", "close": "17:00"}] for d in ("mon", "tue", "wed", "thu", "fri")}


def test_the_demo_practice_appears_through_the_gateway_as_described(stack):
    locations = {loc["id"]: loc for loc in listed(stack, "locations", "locations")}
    assert set(locations) == {*ARKANSAS_CLINICS, "telehealth"}
    for slug, town in ARKANSAS_CLINICS.items():
        clinic = locations[slug]
        assert (clinic["address"]["city"], clinic["address"]["state"], clinic["timezone"]) == (town, "AR", "America/Chicago")
        assert clinic["modalities"] == ["in_person"]
        assert clinic["hours"] == {**WEEKDAYS_8_TO_5, "sat": [], "sun": []}
    tele = locations["telehealth"]
    assert tele["modalities"] == ["telehealth"]
    assert tele["hours"]["fri"] == [{"open": "08:00", "close": "20:00"}]
    assert tele["hours"]["sat"] == [{"open": "09:00", "close": "17:00"}] and tele["hours"]["sun"] == []

    services = {s["id"]: s for s in listed(stack, "services", "services")}
    assert services["intake"]["duration_minutes"] == 60 and services["intake"]["requires_confirmation"] is True
    for therapy in ("therapy-cbt", "therapy-dbt", "therapy-psychodynamic"):
        assert (services[therapy]["duration_minutes"], services[therapy]["buffer_minutes"]) == (50, 10)
    assert (services["med-evaluation"]["duration_minutes"], services["med-follow-up"]["duration_minutes"]) == (60, 30)
    assert {services[m]["provider_role"] for m in ("med-evaluation", "med-follow-up")} == {"prescriber"}
    assert all(set(s["modalities"]) == {"in_person", "telehealth"} for s in services.values())

    providers = listed(stack, "providers", "providers")
    therapists = [p for p in providers if p["role"] == "therapist"]
    prescribers = {p["id"]: p for p in providers if p["role"] == "prescriber"}
    assert {loc for p in therapists for loc in p["schedules"]} >= set(ARKANSAS_CLINICS)
    assert any("es" in p["languages"] for p in therapists) and all(p["licensed_states"] == ["AR"] for p in therapists)
    in_house = [p for p in prescribers.values() if p["licensed_states"] == ["AR"]]
    collaborating = [p for p in prescribers.values() if sorted(p["licensed_states"]) == ["DE", "MD"]]
    assert len(in_house) == 1 and len(collaborating) == 1
    assert list(collaborating[0]["schedules"]) == ["telehealth"]
    assert set(collaborating[0]["schedules"]["telehealth"]) >= {"mon", "tue", "wed", "thu", "fri"}


def test_ctrl_c_stops_everything_the_stack_started(stack):
    assert stack.leftovers(), "the marker should be on the running stack's processes"
    exit_code = stack.stop()
    assert exit_code == 0, f"runner exit code {exit_code}\n{stack.log_tail()}"
    left = stack.leftovers()
    assert not left, f"still running after Ctrl-C: {left}\n{stack.log_tail()}"
