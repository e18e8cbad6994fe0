"""The waitlist through the gateway, on the stack as `make run` starts it: join for a time that is taken,
see the booking's cancellation offered to the entry by the bookings worker (the slot gone from everyone
else's availability while the offer lives), book it in one step, and bad entries refused as problems."""
from __future__ import annotations

import time
from datetime import date, datetime, timedelta

import pytest
import requests

from tests.system.test_stack import PATIENT, a_free_slot, assert_problem

pytestmark = [pytest.mark.system, pytest.mark.integration, pytest.mark.timeout(300)]
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _entry(api: str, joined: dict) -> dict:
    return requests.get(f"{api}/waitlist/{joined['id']}", headers={"X-Manage-Token": joined["manage_token"]},
                        timeout=10).json()


def test_a_cancellation_is_offered_to_the_waiting_patient_who_books_it_in_one_step(stack):
    service_id, slot = a_free_slot(stack)
    api = f"{stack.base_url}/api/v1"
    start = datetime.fromisoformat(slot["start"])
    body = {"service_id": service_id, "provider_id": slot["provider_id"], "location_id": slot["location_id"],
            "start": slot["start"], "patient": dict(PATIENT)}
    booked = requests.post(f"{api}/bookings", json=body, timeout=15)
    assert booked.status_code == 201, booked.text
    joined = requests.post(f"{api}/waitlist", timeout=15, json={
        "patient": {**PATIENT, "email": "waiting@example.com"}, "service_id": service_id,
        "modality": slot["modality"], "location_ids": [slot["location_id"]],
        "windows": [{"days": [DAYS[start.weekday()]], "from": "00:00", "to": "23:59"}],
        "until": (start.date() + timedelta(days=1)).isoformat()})
    assert joined.status_code == 201, joined.text
    assert joined.json()["status"] == "waiting"

    cancelled = requests.post(f"{api}/bookings/{booked.json()['id']}/cancel", json={}, timeout=15,
                              headers={"X-Manage-Token": booked.json()["manage_token"]})
    assert cancelled.status_code == 200, cancelled.text
    deadline, entry = time.monotonic() + 30, {}
    while time.monotonic() < deadline:
        entry = _entry(api, joined.json())
        if entry["status"] == "offered":
            break
        time.sleep(0.3)
    assert entry["status"] == "offered", entry
    assert entry["offer"]["start"] == slot["start"] and entry["offer"]["provider_id"] == slot["provider_id"]
    day = slot["start"][:10]
    free = requests.get(f"{api}/availability", timeout=10, params={
        "service_id": service_id, "location_id": slot["location_id"], "provider_id": slot["provider_id"],
        "from": day, "to": day}).json()["slots"]
    assert slot["start"] not in [s["start"] for s in free]          # held for the waiting patient alone
    assert_problem(requests.post(f"{api}/bookings", json=body, timeout=15), 409)

    offer = {"offer_id": entry["offer"]["id"]}
    assert_problem(requests.post(f"{api}/waitlist/{joined.json()['id']}/accept", json=offer, timeout=15,
                                 headers={"X-Offer-Token": "forged.token.here"}), 404)
    accepted = requests.post(f"{api}/waitlist/{joined.json()['id']}/accept", json=offer, timeout=15,
                             headers={"X-Manage-Token": joined.json()["manage_token"]})
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["start"] == slot["start"] and accepted.json()["manage_token"]
    assert _entry(api, joined.json())["status"] == "booked"
    paths = requests.get(f"{api}/openapi.json", timeout=10).json()["paths"]
    assert {"/api/v1/waitlist", "/api/v1/waitlist/{entry_id}", "/api/v1/waitlist/{entry_id}/accept",
            "/api/v1/waitlist/{entry_id}/decline"} <= set(paths)


@pytest.mark.parametrize("changed", [
    {"windows": [{"days": ["mon"], "from": "12:00", "to": "09:00"}]},
    {"windows": [{"days": ["caturday"], "from": "09:00", "to": "12:00"}]},
    {"until": (date.today() - timedelta(days=2)).isoformat()},
    {"service_id": "no-such-service"}])
def test_bad_entries_are_problems_through_the_gateway(stack, changed):
    body = {"patient": dict(PATIENT), "service_id": "therapy-cbt", "modality": "in_person",
            "location_ids": ["jonesboro"], "until": (date.today() + timedelta(days=30)).isoformat(), **changed}
    assert_problem(requests.post(f"{stack.base_url}/api/v1/waitlist", json=body, timeout=15), 422)
