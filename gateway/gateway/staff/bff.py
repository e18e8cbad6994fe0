"""/staff/api/<path>: the staff app's backend-for-frontend. The browser holds a session cookie, never an API
token; each call is sent on to the same service route as /api/v1/<path> with a bearer token minted here for
this one call (a minute's life) from the session: its subject, role and, for a clinician, provider id.
So the services apply exactly the rules and audit trail they apply to any API caller: a clinician's call
carries role clinician + provider_id, and bookings itself refuses another provider's visit.

GET answers get an ETag (the body's hash, when the service sent none) and If-None-Match is answered 304
here: the page polls the schedule and redraws only when it changed (README: Staff app).
"""
from __future__ import annotations

import time

import requests
from flask import Blueprint, Response, abort, g, request

from clinic_common.auth import issue_token
from clinic_common.http import SessionPool, is_timeout, timeout_from
from gateway.failures import upstream_failure
from gateway.hooks import read_body
from gateway.proxy import METHODS, PATH_SAFE, owner_of, to_flask, upstream_request_headers
from gateway.staff.catalog_guard import catalog_refusal
from gateway.staff.guard import require_session, staff_context

TOKEN_TTL_S = 60  # long enough for one call through a slow service, useless soon after
# Patient credentials have no place in a staff call: the session is the only credential it carries.
NOT_FORWARDED = ("Authorization", "X-Manage-Token", "X-Hold-Token", "X-Offer-Token", "X-SMS-Signature",
                 "If-None-Match")


def staff_bearer() -> str:
    session, ctx = g.staff_session, staff_context()
    return issue_token(ctx.settings.jwt_secret, session.sub, session.role, session.provider_id, ttl_s=TOKEN_TTL_S)


def upstream_headers() -> dict[str, str]:
    headers = {k: v for k, v in upstream_request_headers().items() if k not in NOT_FORWARDED}
    headers["Authorization"] = f"Bearer {staff_bearer()}"
    return headers


def upstream_url(base_url: str, rest: str) -> str:
    from urllib.parse import quote

    url = base_url + quote(f"/api/v1/{rest}", safe=PATH_SAFE)
    if request.query_string:
        url += "?" + request.query_string.decode("latin-1")
    return url


def register_bff(bp: Blueprint, pool: SessionPool, settings) -> None:
    timeout = timeout_from(settings)

    def staff_api(rest: str):
        service = owner_of(rest)
        if service is None:
            abort(404)
        refusal = require_session()
        if refusal is not None:
            return refusal
        base_url = settings.service_urls[service].rstrip("/")
        body = read_body()
        refusal = catalog_refusal(g.staff_session.role, request.method, rest, body)  # the catalog is the admin's
        if refusal is not None:
            return refusal
        started = time.perf_counter()
        try:
            answer = pool.session().request(request.method, upstream_url(base_url, rest), headers=upstream_headers(),
                                            data=body or None, timeout=timeout, allow_redirects=False)
        except requests.RequestException as exc:
            return upstream_failure(service, request.method, exc, is_timeout(exc))
        finally:
            g.log_extra = {"upstream": service, "upstream_ms": round((time.perf_counter() - started) * 1000, 1)}
        return conditional(to_flask(answer, base_url))

    bp.add_url_rule("/staff/api/<path:rest>", "api", staff_api, methods=METHODS)


def conditional(response: Response) -> Response:
    # Patient data never rests in a cache; the page keeps the last schedule and its ETag itself.
    response.headers["Cache-Control"] = "no-store"
    if request.method != "GET" or response.status_code != 200:
        return response
    if not response.get_etag()[0]:
        response.add_etag()
    return response.make_conditional(request)
