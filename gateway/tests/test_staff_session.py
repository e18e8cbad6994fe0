"""The staff session cookie: its flags, the CSRF token on every change, idle expiry on the server, and the
development sign-in that exists only in development."""
from __future__ import annotations

import pytest

from flask import Response

from gateway.config import load_gateway_config
from gateway.staff.session import new_session, session_key

from .conftest import SECRET

HTTPS = "https://gateway.test"


def dev_signin(client, role="staff", provider_id=None, **kw):
    body = {"role": role, "name": "Front Desk"}
    if provider_id:
        body["provider_id"] = provider_id
    return client.post("/staff/signin/dev", json=body, **kw)


def session_cookie_header(response) -> str:
    return next(v for k, v in response.headers.items() if k == "Set-Cookie" and "clinic-staff=" in v)


def csrf_of(client) -> str:
    return client.get("/staff/session").get_json()["csrf_token"]


def move_clock(client, seconds: float) -> None:
    """The gateway's clock `seconds` after its first reading in this test."""
    ctx = client.application.extensions["staff"]
    base = getattr(ctx, "test_base", None) or ctx.clock()
    ctx.test_base = base
    ctx.clock = lambda: base + seconds


def test_development_cookie_is_httponly_strict_and_not_secure(gateway):
    cookie = session_cookie_header(dev_signin(gateway))
    assert cookie.startswith("clinic-staff=")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # development runs over plain http on 127.0.0.1
    assert "Expires" not in cookie and "Max-Age" not in cookie  # the server's idle rule ends it


def test_production_cookie_is_secure_with_the_host_prefix(make_gateway):
    client = make_gateway(CLINIC_ENV="production")
    codec = client.application.extensions["staff"].codec
    response = Response()
    codec.set_cookie(response, new_session("a@clinic.example", "A", "staff", None, "oidc", 0))
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-clinic-staff=")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert "Domain" not in cookie


def test_development_signin_is_refused_outside_development(make_gateway):
    client = make_gateway(CLINIC_ENV="production")
    response = dev_signin(client, base_url=HTTPS)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["type"] == "/problems/dev-signin-off"
    assert "Set-Cookie" not in response.headers
    assert client.get("/staff/signin").get_json()["development"] is False


def test_development_signin_wants_json_and_a_known_role(gateway):
    form = gateway.post("/staff/signin/dev", data={"role": "admin"})  # what a cross-site form could send
    assert form.status_code == 415 and "Set-Cookie" not in form.headers
    bad = gateway.post("/staff/signin/dev", json={"role": "root"})
    assert bad.status_code == 422 and set(bad.get_json()["errors"]) == {"role"}
    clinician = gateway.post("/staff/signin/dev", json={"role": "clinician"})
    assert clinician.status_code == 422 and set(clinician.get_json()["errors"]) == {"provider_id"}


def test_session_says_who_and_hands_the_page_its_csrf_token(gateway):
    assert gateway.get("/staff/session").status_code == 401
    dev_signin(gateway, "clinician", "prv_1")
    answer = gateway.get("/staff/session")
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    body = answer.get_json()
    assert body["role"] == "clinician" and body["provider_id"] == "prv_1" and len(body["csrf_token"]) > 30
    assert body["idle_seconds"] == 15 * 60


@pytest.mark.parametrize("header", [None, "wrong-token"])
def test_a_change_without_the_csrf_token_is_a_403_problem_and_changes_nothing(gateway, services, header):
    dev_signin(gateway)
    headers = {"X-CSRF-Token": header} if header else {}
    refused = gateway.post("/staff/api/bookings/bkg_1/check-in", headers=headers)
    assert refused.status_code == 403
    assert refused.mimetype == "application/problem+json"
    assert refused.get_json()["type"] == "/problems/csrf"
    assert services["bookings"].calls == []  # never reached the service
    signout = gateway.post("/staff/signout", headers=headers)
    assert signout.status_code == 403 and gateway.get("/staff/session").status_code == 200


def test_a_change_with_the_token_goes_through(gateway, services):
    dev_signin(gateway)
    answer = gateway.post("/staff/api/bookings/bkg_1/check-in", headers={"X-CSRF-Token": csrf_of(gateway)})
    assert answer.status_code == 201  # the fake service's answer to any POST
    assert services["bookings"].calls[-1]["path"] == "/api/v1/bookings/bkg_1/check-in"


def test_idle_session_expires_on_the_server_and_the_cookie_is_cleared(make_gateway, services):
    client = make_gateway(STAFF_IDLE_MINUTES="2")
    dev_signin(client)
    move_clock(client, 119)
    assert client.get("/staff/api/bookings").status_code == 200  # a person's action: the clock restarts
    move_clock(client, 119 + 119)
    assert client.get("/staff/session").status_code == 200
    move_clock(client, 119 + 119 + 121)
    expired = client.get("/staff/api/bookings")
    assert expired.status_code == 401 and expired.get_json()["type"] == "/problems/session-expired"
    assert "2 minutes" in expired.get_json()["detail"]
    assert "clinic-staff=;" in session_cookie_header(expired)  # cleared
    assert client.get("/staff/session").status_code == 401


def test_background_polls_do_not_keep_a_session_alive(make_gateway, services):
    client = make_gateway(STAFF_IDLE_MINUTES="2")
    dev_signin(client)
    background = {"X-Staff-Background": "1"}
    move_clock(client, 100)
    poll = client.get("/staff/api/bookings", headers=background)
    assert poll.status_code == 200 and "Set-Cookie" not in poll.headers
    move_clock(client, 121)
    assert client.get("/staff/api/bookings", headers=background).status_code == 401


def test_signout_clears_the_cookie(gateway):
    dev_signin(gateway)
    out = gateway.post("/staff/signout", headers={"X-CSRF-Token": csrf_of(gateway)})
    assert out.status_code == 200 and "clinic-staff=;" in session_cookie_header(out)
    assert gateway.get("/staff/session").status_code == 401


def test_a_forged_cookie_is_no_session(gateway):
    gateway.set_cookie("clinic-staff", "eyJyb2xlIjoiYWRtaW4ifQ.forged")
    assert gateway.get("/staff/session").status_code == 401


def test_session_key_is_its_own_not_the_jwt_secret():
    derived = session_key("", SECRET)
    assert derived != SECRET.encode() and derived == session_key("", SECRET)
    assert session_key("own-secret", SECRET) != derived
    settings = load_gateway_config({"CLINIC_ENV": "development", "STAFF_IDLE_MINUTES": "0.05"})
    assert settings.staff_idle_minutes == 0.05 and settings.oidc_role_claim == "clinic_role"


@pytest.mark.parametrize("raw", ["0", "-1", "soon"])
def test_idle_minutes_must_be_a_positive_number(raw):
    from clinic_common.config import ConfigError

    with pytest.raises(ConfigError, match="STAFF_IDLE_MINUTES"):
        load_gateway_config({"CLINIC_ENV": "development", "STAFF_IDLE_MINUTES": raw})


def test_the_page_has_no_inline_script_in_its_csp(gateway):
    page = gateway.get("/staff")
    assert page.status_code == 200 and page.mimetype == "text/html"
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp and "sha256" not in csp
    assert "frame-ancestors 'none'" in csp
    assert b"<script>" not in page.data and b"<script type=\"module\" src=" in page.data
    assert gateway.get("/staff/staff.js").mimetype == "text/javascript"
    assert gateway.get("/staff/nothing.js").status_code == 404


def test_a_cookie_signed_with_another_key_is_no_session(make_gateway):
    first = make_gateway(STAFF_SESSION_SECRET="first-staff-session-secret")
    dev_signin(first)
    cookie = first.get_cookie("clinic-staff").value
    second = make_gateway(STAFF_SESSION_SECRET="second-staff-session-secret")
    second.set_cookie("clinic-staff", cookie)
    assert second.get("/staff/session").status_code == 401
    same = make_gateway(STAFF_SESSION_SECRET="first-staff-session-secret")
    same.set_cookie("clinic-staff", cookie)
    assert same.get("/staff/session").status_code == 200


def test_a_session_in_constant_use_still_ends_after_twelve_hours(make_gateway, services):
    client = make_gateway(STAFF_IDLE_MINUTES="600")
    dev_signin(client)
    move_clock(client, 9 * 3600)
    assert client.get("/staff/api/bookings").status_code == 200
    move_clock(client, 12 * 3600 + 60)
    assert client.get("/staff/api/bookings").status_code == 401
