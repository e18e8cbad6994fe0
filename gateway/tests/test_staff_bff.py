"""/staff/api: the session's calls reach the same service routes with a bearer token minted for the call from
the session (a clinician's carries their provider id), the browser's own credentials stay behind, and a
GET answers 304 to the ETag the page already has."""
from __future__ import annotations

import time

import jwt

from .conftest import SECRET


def sign_in(client, role="staff", provider_id=None, name="Front Desk"):
    body = {"role": role, "name": name, **({"provider_id": provider_id} if provider_id else {})}
    assert client.post("/staff/signin/dev", json=body).status_code == 200
    return client.get("/staff/session").get_json()["csrf_token"]


def bearer_claims_seen(call: dict) -> dict:
    scheme, _, token = call["headers"]["Authorization"].partition(" ")
    assert scheme == "Bearer"
    return jwt.decode(token, SECRET, algorithms=["HS256"])


def test_a_clinicians_call_carries_role_and_provider_id(gateway, services):
    sign_in(gateway, "clinician", "prv_lee", name="Dr Lee")
    answer = gateway.get("/staff/api/bookings/bkg_other")
    assert answer.status_code == 200
    call = services["bookings"].calls[-1]
    assert call["path"] == "/api/v1/bookings/bkg_other"
    claims = bearer_claims_seen(call)
    assert (claims["role"], claims["provider_id"], claims["sub"]) == ("clinician", "prv_lee", "dev:Dr Lee")
    assert claims["exp"] - time.time() <= 61  # minted for this call, not a session-long credential


def test_staff_call_has_no_provider_and_the_query_passes(gateway, services):
    sign_in(gateway, "staff")
    gateway.get("/staff/api/bookings?location_id=loc_1&from=2026-12-01T00:00:00Z")
    call = services["bookings"].calls[-1]
    assert call["query"] == "location_id=loc_1&from=2026-12-01T00:00:00Z"
    claims = bearer_claims_seen(call)
    assert claims["role"] == "staff" and "provider_id" not in claims


def test_the_browsers_own_credentials_are_not_forwarded(gateway, services):
    csrf = sign_in(gateway, "staff")
    gateway.post("/staff/api/bookings/bkg_1/cancel", json={"reason": "x"},
                 headers={"X-CSRF-Token": csrf, "Authorization": "Bearer forged", "X-Manage-Token": "m1-x",
                          "X-Hold-Token": "h"})
    call = services["bookings"].calls[-1]
    assert bearer_claims_seen(call)["role"] == "staff"
    assert "X-Manage-Token" not in call["headers"] and "X-Hold-Token" not in call["headers"]
    assert "Cookie" not in call["headers"]  # the session cookie stays at the gateway
    assert call["body"] == '{"reason": "x"}'


def test_each_service_is_reached_by_its_path(gateway, services):
    sign_in(gateway, "admin")
    assert gateway.get("/staff/api/notifications?booking_id=bkg_1").status_code == 200
    assert services["notifications"].calls[-1]["path"] == "/api/v1/notifications"
    assert gateway.get("/staff/api/locations").status_code == 200
    assert gateway.get("/staff/api/nothing-here").status_code == 404


def test_without_a_session_nothing_is_forwarded(gateway, services):
    refused = gateway.get("/staff/api/bookings")
    assert refused.status_code == 401 and refused.get_json()["type"] == "/problems/signed-out"
    assert services["bookings"].calls == []


def test_polls_get_304_for_an_unchanged_answer_and_nothing_is_cached(gateway, services):
    sign_in(gateway)
    first = gateway.get("/staff/api/locations")
    assert first.headers["Cache-Control"] == "no-store"
    etag = first.headers["ETag"]
    again = gateway.get("/staff/api/locations", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    other = gateway.get("/staff/api/locations", headers={"If-None-Match": '"stale"'})
    assert other.status_code == 200
