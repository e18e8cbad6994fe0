"""Signing in and out: the OpenID Connect round trip, the development sign-in, the session as the page sees it.

The flow cookie carries state, nonce and PKCE verifier across the trip to the provider. It is SameSite=Lax,
unlike the session: the provider sends the browser back with a cross-site navigation, which a Strict
cookie would not accompany. It lives ten minutes and is spent by the callback.
"""
from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, g, jsonify, redirect, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from clinic_common.errors import problem
from gateway.staff.guard import require_session, staff_context
from gateway.staff.oidc import Flow, SignInRefused, identity_from
from gateway.staff.session import ROLES, new_session

FLOW_MAX_AGE_S = 600
MAX_FIELD = 120


def _flow_codec() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(staff_context().key, salt="staff-oidc-flow")


def _flow_cookie_name() -> str:
    return "__Host-clinic-staff-flow" if staff_context().codec.secure else "clinic-staff-flow"


def _back_to_page(error: str | None = None):
    """Back to the app; an error code goes in the fragment, where the page reads it and says it in words."""
    response = redirect("/staff" + (f"#signin-error={error}" if error else ""), code=303)
    response.delete_cookie(_flow_cookie_name(), path="/", secure=staff_context().codec.secure, httponly=True)
    return response


def signin_options():
    ctx = staff_context()
    return jsonify({"oidc": ctx.oidc is not None, "development": ctx.development, "roles": list(ROLES)})


def oidc_start():
    ctx = staff_context()
    if ctx.oidc is None:
        return problem(404, "Not configured", "OpenID Connect sign-in is not configured (OIDC_ISSUER).",
                       slug="oidc-not-configured")
    try:
        url, flow = ctx.oidc.start(request.url_root.rstrip("/") + "/staff/signin/callback")
    except SignInRefused as exc:
        return _back_to_page(exc.code)
    response = redirect(url, code=302)
    response.set_cookie(_flow_cookie_name(), _flow_codec().dumps(asdict(flow)), max_age=FLOW_MAX_AGE_S, path="/",
                        secure=ctx.codec.secure, httponly=True, samesite="Lax")
    return response


def oidc_callback():
    ctx = staff_context()
    if ctx.oidc is None:
        return _back_to_page("provider")
    try:
        flow = Flow(**_flow_codec().loads(request.cookies.get(_flow_cookie_name(), ""), max_age=FLOW_MAX_AGE_S))
    except (BadSignature, TypeError):
        return _back_to_page("flow")
    if request.args.get("error"):
        return _back_to_page("denied")
    if request.args.get("state") != flow.state or not request.args.get("code"):
        return _back_to_page("flow")
    try:
        claims = ctx.oidc.finish(flow, request.args["code"])
        who = identity_from(claims, ctx.settings.oidc_role_claim, ctx.settings.oidc_provider_claim)
    except SignInRefused as exc:
        return _back_to_page(exc.code)
    response = _back_to_page()
    ctx.codec.set_cookie(response, new_session(who.sub, who.name, who.role, who.provider_id, "oidc", ctx.clock()))
    return response


def dev_signin():
    """CLINIC_ENV=development only: a role (and a clinician's provider) picked on a form, no provider at all."""
    ctx = staff_context()
    if not ctx.development:
        return problem(404, "Not available", "The development sign-in exists only with CLINIC_ENV=development.",
                       slug="dev-signin-off")
    # A JSON body cannot be sent cross-site without a CORS preflight, which this gateway never grants: no
    # other site can sign a browser in as someone of its choosing.
    body = request.get_json(silent=True) if request.mimetype == "application/json" else None
    if not isinstance(body, dict):
        return problem(415, "JSON expected", "Send the sign-in as application/json.", slug="json-expected")
    errors = _dev_errors(body)
    if errors:
        return problem(422, "Invalid sign-in", "Check the highlighted fields.", slug="validation", errors=errors)
    role, provider_id = body["role"], body.get("provider_id") or None
    name = (body.get("name") or f"dev-{role}").strip()[:MAX_FIELD]
    response = jsonify({"signed_in": True})
    ctx.codec.set_cookie(response, new_session(f"dev:{name}", name, role, provider_id, "development", ctx.clock()))
    return response


def _dev_errors(body: dict) -> dict:
    errors = {}
    if body.get("role") not in ROLES:
        errors["role"] = [f"One of {', '.join(ROLES)}."]
    provider = body.get("provider_id")
    if body.get("role") == "clinician" and not (isinstance(provider, str) and 0 < len(provider) <= 64):
        errors["provider_id"] = ["A clinician signs in as one provider."]
    if body.get("name") is not None and not (isinstance(body["name"], str) and len(body["name"]) <= MAX_FIELD):
        errors["name"] = [f"At most {MAX_FIELD} characters."]
    return errors


def session_info():
    refusal = require_session()
    if refusal is not None:
        return refusal
    return jsonify(g.staff_session.public(staff_context().codec.idle_s))


def signout():
    ctx = staff_context()
    session = ctx.codec.loads(request.cookies.get(ctx.codec.cookie_name))
    if session is not None and not ctx.codec.expired(session, ctx.clock()):
        refusal = require_session()  # a live session signs out only with its CSRF token
        if refusal is not None:
            return refusal
        g.pop("staff_session", None)
    response = jsonify({"signed_in": False})
    ctx.codec.clear_cookie(response)
    return response


def register_signin(bp: Blueprint) -> None:
    bp.add_url_rule("/staff/signin", "signin_options", signin_options, methods=["GET"])
    bp.add_url_rule("/staff/signin/oidc", "oidc_start", oidc_start, methods=["GET"])
    bp.add_url_rule("/staff/signin/callback", "oidc_callback", oidc_callback, methods=["GET"])
    bp.add_url_rule("/staff/signin/dev", "dev_signin", dev_signin, methods=["POST"])
    bp.add_url_rule("/staff/session", "session", session_info, methods=["GET"])
    bp.add_url_rule("/staff/signout", "signout", signout, methods=["POST"])
