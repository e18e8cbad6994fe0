"""A series is told once, through the real processes: its one confirmation (per channel) is in each of its
visits' delivery logs, and no visit sends a confirmation of its own."""
from __future__ import annotations

import time

import pytest
import requests

from tests.system.test_stack import PATIENT, a_free_slot

pytestmark = [pytest.mark.system, pytest.mark.integration, pytest.mark.timeout(300)]


def delivery_log(stack, booking_id: str) -> list[dict]:
    response = requests.get(f"{stack.base_url}/api/v1/notifications", params={"booking_id": booking_id},
                            headers=stack.staff_headers(), timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["notifications"]


def test_a_series_sends_one_confirmation_that_every_visit_shows(stack):
    service_id, slot = a_free_slot(stack, days_ahead=20)
    created = requests.post(f"{stack.base_url}/api/v1/series", timeout=15, json={
        "service_id": service_id, "provider_id": slot["provider_id"], "location_id": slot["location_id"],
        "start": slot["start"], "every_weeks": 1, "count": 2, "accept": "available", "patient": dict(PATIENT)})
    assert created.status_code == 201, created.text
    bookings = [b["id"] for b in created.json()["bookings"]]
    deadline, kinds = time.monotonic() + 20, []
    while time.monotonic() < deadline:
        kinds = [record["kind"] for record in delivery_log(stack, bookings[0])]
        if "series_confirmation" in kinds:
            break
        time.sleep(0.3)
    assert kinds.count("series_confirmation") == 2, f"{kinds}\n{stack.log_tail()}"  # email and SMS, once each
    time.sleep(1.0)  # the visits' own booking.confirmed events are handled by now too: they told nothing
    for booking_id in bookings:
        assert sorted(record["kind"] for record in delivery_log(stack, booking_id)) == ["series_confirmation"] * 2
