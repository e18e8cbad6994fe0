"""Manage links and the patient's fields through the gateway, on the stack as `make run` starts it: a link
minted as notifications mints it (the stack's settings: MANAGE_LINK_SECRET unset, so the key derived from
JWT_SECRET) reads, moves and cancels a booking, and is refused once the booking is cancelled; the booking
page's public answers; the inbound SMS webhook reaches notifications without a staff token."""
from __future__ import annotations

from datetime import datetime

import pytest
import requests

from clinic_common.manage_links import expiry_after, link_key, manage_url
from tests.system.test_stack import PATIENT, a_free_slot, assert_problem

pytestmark = [pytest.mark.system, pytest.mark.integration, pytest.mark.timeout(300)]


def test_a_link_from_a_message_manages_the_booking_through_the_gateway(stack):
    service_id, slot = a_free_slot(stack, days_ahead=12)
    api = f"{stack.base_url}/api/v1"
    booked = requests.post(f"{api}/bookings", timeout=15, json={
        "service_id": service_id, "provider_id": slot["provider_id"], "location_id": slot["location_id"],
        "start": slot["start"], "patient": {**PATIENT, "sms_consent": True}})
    assert booked.status_code == 201, booked.text
    booking = booked.json()
    consent = requests.get(f"{api}/bookings/sms-consent", timeout=10).json()
    assert booking["patient"]["sms_consent"]["wording_version"] == consent["version"]

    expires = expiry_after(datetime.fromisoformat(booking["end"]))
    url = manage_url("http://x/book", link_key("", stack.secret), booking["id"], "booking", booking["id"], expires)
    booking_id, credential = url.split("#manage=")[1].split(".", 1)
    assert booking_id == booking["id"]
    link = {"X-Manage-Token": credential}
    read = requests.get(f"{api}/bookings/{booking_id}", headers=link, timeout=10)
    assert read.status_code == 200 and read.json()["id"] == booking_id

    day = slot["start"][:10]
    others = [s for s in requests.get(f"{api}/availability", timeout=10, params={
        "service_id": service_id, "location_id": slot["location_id"], "provider_id": slot["provider_id"],
        "from": day, "to": day}).json()["slots"] if s["start"] != slot["start"]]
    if others:  # the provider has another time that day: the link moves the booking there
        moved = requests.post(f"{api}/bookings/{booking_id}/reschedule", headers=link, timeout=15,
                              json={"start": others[0]["start"]})
        assert moved.status_code == 200, moved.text
    cancelled = requests.post(f"{api}/bookings/{booking_id}/cancel", headers=link, json={}, timeout=15)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert_problem(requests.get(f"{api}/bookings/{booking_id}", headers=link, timeout=10), 404)  # revoked
    wrong = {"X-Manage-Token": credential[:-1] + ("A" if credential[-1] != "A" else "B")}
    assert_problem(requests.get(f"{api}/bookings/{booking['id']}", headers=wrong, timeout=10), 404)


def test_the_pages_patient_answers_and_the_inbound_webhook_are_routed(stack):
    api = f"{stack.base_url}/api/v1"
    zones = requests.get(f"{api}/bookings/patient-zones", timeout=10)
    assert zones.status_code == 200 and "public" in zones.headers["Cache-Control"]
    texas = next(s for s in zones.json()["states"] if s["code"] == "TX")
    assert [z["id"] for z in texas["zones"]] == ["America/Chicago", "America/Denver"]
    consent = requests.get(f"{api}/bookings/sms-consent", timeout=10)
    assert consent.status_code == 200 and "STOP" in consent.json()["texts"]["es"]
    # SMS_INBOUND_SECRET is unset on this stack: notifications refuses every call, with its own problem
    inbound = requests.post(f"{api}/notifications/sms/inbound", json={"from": "+15555550123", "body": "STOP"},
                            headers={"X-SMS-Signature": "sha256=00"}, timeout=10)
    assert_problem(inbound, 401)
    assert "signature" in inbound.json()["detail"]
