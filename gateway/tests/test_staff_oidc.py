"""OpenID Connect sign-in against a real provider (oidc-provider-mock in a thread): PKCE, state, the ID
token's checks, and the clinic role read from the configured claims."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from gateway.staff.oidc import SignInRefused, role_from_claims

HTTPS = "https://gateway.test"


@pytest.fixture(scope="module")
def provider():
    from oidc_provider_mock import run_server_in_thread

    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


def set_user(provider: str, sub: str, **claims) -> None:
    requests.put(f"{provider}/users/{sub}", json=claims, timeout=5).raise_for_status()


@pytest.fixture
def staff_gateway(make_gateway, provider):
    return make_gateway(CLINIC_ENV="production", OIDC_ISSUER=provider, OIDC_CLIENT_ID="clinic-gateway",
                        OIDC_CLIENT_SECRET="gateway-secret")


def sign_in(client, provider: str, sub: str):
    """The whole round trip: gateway → provider (the person picks who they are) → gateway's callback."""
    start = client.get("/staff/signin/oidc", base_url=HTTPS)
    assert start.status_code == 302
    authorize = start.headers["Location"]
    chosen = requests.post(authorize, data={"sub": sub}, allow_redirects=False, timeout=5)
    assert chosen.status_code == 302, chosen.text
    back = urlsplit(chosen.headers["Location"])
    assert back.path == "/staff/signin/callback"
    return client.get(f"/staff/signin/callback?{back.query}", base_url=HTTPS), authorize


def test_a_clinician_signs_in_with_role_and_provider_from_the_claims(staff_gateway, provider):
    set_user(provider, "u-7", email="dr.lee@clinic.example", name="Dr Lee", clinic_role="clinician",
             clinic_provider_id="prv_lee")
    done, authorize = sign_in(staff_gateway, provider, "u-7")
    assert done.status_code == 303 and done.headers["Location"] == "/staff"
    cookie = next(v for k, v in done.headers.items() if k == "Set-Cookie" and v.startswith("__Host-clinic-staff="))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    me = staff_gateway.get("/staff/session", base_url=HTTPS).get_json()
    assert (me["sub"], me["name"], me["role"], me["provider_id"], me["via"]) == (
        "dr.lee@clinic.example", "Dr Lee", "clinician", "prv_lee", "oidc")
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) == 43
    assert query["response_type"] == ["code"] and "openid" in query["scope"][0]
    assert query["redirect_uri"] == [f"{HTTPS}/staff/signin/callback"] and query["nonce"][0]


def test_a_list_of_roles_signs_in_with_the_widest(staff_gateway, provider):
    set_user(provider, "u-8", email="desk@clinic.example", clinic_role=["clinician", "staff"])
    sign_in(staff_gateway, provider, "u-8")
    me = staff_gateway.get("/staff/session", base_url=HTTPS).get_json()
    assert me["role"] == "staff" and me["provider_id"] is None


def test_no_clinic_role_means_no_session(staff_gateway, provider):
    set_user(provider, "u-9", email="visitor@clinic.example")
    done, _ = sign_in(staff_gateway, provider, "u-9")
    assert done.headers["Location"] == "/staff#signin-error=no-role"
    assert staff_gateway.get("/staff/session", base_url=HTTPS).status_code == 401


def test_a_callback_with_another_state_is_refused(staff_gateway, provider):
    set_user(provider, "u-10", email="x@clinic.example", clinic_role="admin")
    start = staff_gateway.get("/staff/signin/oidc", base_url=HTTPS)
    chosen = requests.post(start.headers["Location"], data={"sub": "u-10"}, allow_redirects=False, timeout=5)
    query = parse_qs(urlsplit(chosen.headers["Location"]).query)
    forged = staff_gateway.get(f"/staff/signin/callback?code={query['code'][0]}&state=someone-elses",
                               base_url=HTTPS)
    assert forged.headers["Location"] == "/staff#signin-error=flow"
    assert staff_gateway.get("/staff/session", base_url=HTTPS).status_code == 401


def test_a_callback_without_the_flow_cookie_is_refused(make_gateway, staff_gateway, provider):
    set_user(provider, "u-11", email="y@clinic.example", clinic_role="admin")
    start = staff_gateway.get("/staff/signin/oidc", base_url=HTTPS)
    chosen = requests.post(start.headers["Location"], data={"sub": "u-11"}, allow_redirects=False, timeout=5)
    other_browser = make_gateway(CLINIC_ENV="production", OIDC_ISSUER=provider, OIDC_CLIENT_ID="clinic-gateway")
    stolen = other_browser.get(f"/staff/signin/callback?{urlsplit(chosen.headers['Location']).query}",
                               base_url=HTTPS)
    assert stolen.headers["Location"] == "/staff#signin-error=flow"


def test_an_id_token_for_another_client_is_refused(make_gateway, provider):
    """The provider signs tokens for any client id; ours checks the audience (and nonce) itself."""
    client = make_gateway(CLINIC_ENV="production", OIDC_ISSUER=provider, OIDC_CLIENT_ID="clinic-gateway")
    oidc = client.application.extensions["staff"].oidc
    set_user(provider, "u-12", email="z@clinic.example", clinic_role="admin")
    start = client.get("/staff/signin/oidc", base_url=HTTPS)
    other = start.headers["Location"].replace("client_id=clinic-gateway", "client_id=someone-else")
    chosen = requests.post(other, data={"sub": "u-12"}, allow_redirects=False, timeout=5)
    code = parse_qs(urlsplit(chosen.headers["Location"]).query)["code"][0]
    meta = requests.get(f"{provider}/.well-known/openid-configuration", timeout=5).json()
    token = requests.post(meta["token_endpoint"], data={"grant_type": "authorization_code", "code": code,
                          "redirect_uri": f"{HTTPS}/staff/signin/callback", "client_id": "someone-else",
                          "client_secret": "x"}, timeout=5).json()
    _, keys = oidc._documents()
    nonce = parse_qs(urlsplit(other).query)["nonce"][0]
    with pytest.raises(SignInRefused):
        oidc.verified_claims(token["id_token"], nonce, keys)
    with pytest.raises(SignInRefused):  # and a nonce that is not this flow's
        oidc.verified_claims(token["id_token"], "another-nonce", keys)


def test_oidc_is_absent_unless_configured(make_gateway):
    client = make_gateway()
    assert client.get("/staff/signin").get_json() == {"oidc": False, "development": True,
                                                       "roles": ["staff", "clinician", "admin"]}
    missing = client.get("/staff/signin/oidc")
    assert missing.status_code == 404 and missing.get_json()["type"] == "/problems/oidc-not-configured"


@pytest.mark.parametrize("claims, expected", [
    ({"clinic_role": "staff"}, ("staff", None)),
    ({"clinic_role": "admin", "clinic_provider_id": "prv_1"}, ("admin", None)),
    ({"clinic_role": "clinician", "clinic_provider_id": "prv_1"}, ("clinician", "prv_1")),
    ({"clinic_role": ["clinician", "admin"], "clinic_provider_id": "prv_1"}, ("admin", None)),
    ({"clinic_role": ["reception", "staff"]}, ("staff", None)),
])
def test_role_mapping_from_claims(claims, expected):
    assert role_from_claims(claims, "clinic_role", "clinic_provider_id") == expected


@pytest.mark.parametrize("claims, code", [
    ({}, "no-role"),
    ({"clinic_role": "superuser"}, "no-role"),
    ({"clinic_role": 7}, "no-role"),
    ({"clinic_role": "clinician"}, "no-provider"),
    ({"clinic_role": "clinician", "clinic_provider_id": ""}, "no-provider"),
    ({"role": "staff"}, "no-role"),  # another claim than the configured one names nothing
])
def test_claims_without_a_usable_role_are_refused(claims, code):
    with pytest.raises(SignInRefused) as refused:
        role_from_claims(claims, "clinic_role", "clinic_provider_id")
    assert refused.value.code == code


def test_configured_claim_names_are_used(make_gateway, provider):
    client = make_gateway(CLINIC_ENV="production", OIDC_ISSUER=provider, OIDC_CLIENT_ID="clinic-gateway",
                          OIDC_ROLE_CLAIM="groups", OIDC_PROVIDER_CLAIM="npi_provider")
    set_user(provider, "u-13", email="ana@clinic.example", groups=["clinician"], npi_provider="prv_ana")
    sign_in(client, provider, "u-13")
    me = client.get("/staff/session", base_url=HTTPS).get_json()
    assert (me["role"], me["provider_id"]) == ("clinician", "prv_ana")


def test_an_unverified_email_is_not_the_audit_name():
    from gateway.staff.oidc import identity_from

    claims = {"sub": "u-1", "email": "boss@clinic.example", "clinic_role": "staff"}
    assert identity_from(claims, "clinic_role", "clinic_provider_id").sub == "boss@clinic.example"
    unverified = {**claims, "email_verified": False}
    assert identity_from(unverified, "clinic_role", "clinic_provider_id").sub == "u-1"


def test_a_denied_sign_in_and_an_unreachable_provider_are_said(staff_gateway, make_gateway, dead_url):
    start = staff_gateway.get("/staff/signin/oidc", base_url=HTTPS)
    state = parse_qs(urlsplit(start.headers["Location"]).query)["state"][0]
    denied = staff_gateway.get(f"/staff/signin/callback?error=access_denied&state={state}", base_url=HTTPS)
    assert denied.headers["Location"] == "/staff#signin-error=denied"
    down = make_gateway(CLINIC_ENV="production", OIDC_ISSUER=dead_url, OIDC_CLIENT_ID="clinic-gateway")
    unreachable = down.get("/staff/signin/oidc", base_url=HTTPS)
    assert unreachable.status_code == 303 and unreachable.headers["Location"] == "/staff#signin-error=provider"
