"""A closure over a confirmed booking, on the stack as `make run` starts it, through the gateway against
the real broker and datastore: the staff answer counts it, staff list it, booking.disrupted is published
once (the staff write's scan and the worker's scan on the closure's event agree), the booking stays
confirmed, and moving it clears the disruption."""
from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
import requests

from testsupport.events import EventTap
from tests.system.test_stack import booking_body

pytestmark = [pytest.mark.system, pytest.mark.integration, pytest.mark.timeout(300)]


def test_a_closure_disrupts_a_confirmed_booking_and_a_move_clears_it(stack, amqp_url):
    api, staff = f"{stack.base_url}/api/v1", stack.staff_headers()
    body = booking_body(stack)
    booked = requests.post(f"{api}/bookings", json=body, timeout=15)
    assert booked.status_code == 201, booked.text
    booking = booked.json()
    assert booking["status"] == "confirmed" and booking["disruption"] is None
    tap = EventTap(SimpleNamespace(amqp_url=amqp_url, amqp_namespace=stack.amqp_namespace), "booking.disrupted")
    try:
        day = booking["start"][:10]  # the clinic's date: the start is shown in its zone
        closed = requests.post(f"{api}/locations/{booking['location_id']}/closures", headers=staff, timeout=30,
                               json={"from": day, "to": day, "reason": "Holiday"})
        assert closed.status_code == 201, closed.text
        assert closed.json()["disrupted_bookings"] == 1

        listed = requests.get(f"{api}/bookings", params={"disrupted": "true"}, headers=staff, timeout=10).json()
        assert [b["id"] for b in listed["bookings"]] == [booking["id"]]
        assert listed["bookings"][0]["disruption"]["reason"] == "closure"

        [(_, event)] = tap.drain(expect=1, timeout_s=20)
        assert event["data"]["id"] == booking["id"] and event["data"]["status"] == "confirmed"
        assert event["data"]["disruption"]["options"]["reschedule"] is True
        tap._connection.sleep(3)  # the worker's own scan of the closure's event comes after: nothing more
        assert tap.drain(expect=0, timeout_s=2) == []
    finally:
        tap.close()

    token = {"X-Manage-Token": booking["manage_token"]}
    shown = requests.get(f"{api}/bookings/{booking['id']}", headers=token, timeout=10).json()
    assert shown["status"] == "confirmed" and shown["disruption"]["reason"] == "closure"
    later = date.fromisoformat(day) + timedelta(days=1)
    free = requests.get(f"{api}/availability", timeout=15, params={
        "service_id": booking["service_id"], "location_id": booking["location_id"],
        "provider_id": booking["provider_id"], "from": later.isoformat(),
        "to": (later + timedelta(days=13)).isoformat()}).json()["slots"]
    assert free, "no later time with the same provider"
    moved = requests.post(f"{api}/bookings/{booking['id']}/reschedule", headers=token, timeout=15,
                          json={"start": free[0]["start"]})
    assert moved.status_code == 200, moved.text
    assert moved.json()["disruption"] is None
    assert requests.get(f"{api}/bookings", params={"disrupted": "true"}, headers=staff,
                        timeout=10).json()["bookings"] == []
