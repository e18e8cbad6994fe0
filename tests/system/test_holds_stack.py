"""A hold through the gateway, on the stack as `make run` starts it: hold a free time, see it gone from
availability, book it with the hold's token, and the refusals as problems."""
from __future__ import annotations

import pytest
import requests

from tests.system.test_stack import PATIENT, a_free_slot, assert_problem

pytestmark = [pytest.mark.system, pytest.mark.integration, pytest.mark.timeout(300)]


def test_hold_then_book_with_the_token_through_the_gateway(stack):
    service_id, slot = a_free_slot(stack)
    api = f"{stack.base_url}/api/v1"
    where = {"service_id": service_id, "provider_id": slot["provider_id"], "location_id": slot["location_id"],
             "start": slot["start"]}
    held = requests.post(f"{api}/holds", json={**where, "patient_state": "AR"}, timeout=15)
    assert held.status_code == 201, held.text
    hold = held.json()
    assert hold["slot"]["start"] == slot["start"] and hold["expires_at"]
    day = slot["start"][:10]
    free = requests.get(f"{api}/availability", timeout=10, params={
        "service_id": service_id, "location_id": slot["location_id"], "provider_id": slot["provider_id"],
        "from": day, "to": day}).json()["slots"]
    assert slot["start"] not in [s["start"] for s in free]

    body = {**where, "patient": dict(PATIENT), "hold_id": hold["id"]}
    assert_problem(requests.post(f"{api}/bookings", json={k: v for k, v in body.items() if k != "hold_id"},
                                 timeout=15), 409)                                   # someone else: taken
    assert_problem(requests.post(f"{api}/bookings", json=body, headers={"X-Hold-Token": "wrong"}, timeout=15), 404)
    booked = requests.post(f"{api}/bookings", json=body, headers={"X-Hold-Token": hold["hold_token"]}, timeout=15)
    assert booked.status_code == 201, booked.text
    assert booked.json()["start"] == slot["start"]
    assert requests.delete(f"{api}/holds/{hold['id']}", headers={"X-Hold-Token": hold["hold_token"]},
                           timeout=10).status_code == 204
    read = requests.get(f"{api}/bookings/{booked.json()['id']}", timeout=10,
                        headers={"X-Manage-Token": booked.json()["manage_token"]})
    assert read.status_code == 200 and read.json()["status"] in ("confirmed", "requested")
    paths = requests.get(f"{api}/openapi.json", timeout=10).json()["paths"]
    assert {"/api/v1/holds", "/api/v1/holds/{hold_id}"} <= set(paths)
