"""Forwarding /api/v1/<path> to the service that owns it: same method, path, query and body."""
from __future__ import annotations

import logging
import time
from urllib.parse import quote

import requests
from flask import Flask, Response, abort, g, request

from clinic_common.auth import bearer_claims
from clinic_common.errors import Unauthorized, problem
from clinic_common.http import SessionPool, is_timeout, timeout_from
from gateway.client_address import client_address_headers
from gateway.failures import upstream_failure
from gateway.hooks import read_body

log = logging.getLogger("gateway.proxy")

OWNERS = {
    "locations": "locations", "services": "locations", "providers": "locations",
    "availability": "bookings", "bookings": "bookings", "appointment-requests": "bookings",
    "series": "bookings", "visits": "bookings", "holds": "bookings", "waitlist": "bookings",
    "notifications": "notifications",
}
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
# Request headers the services act on; everything else (cookies, hop-by-hop, Host, and a client's own
# X-Client-Address: the gateway sends its own, with a proof, see client_address.py) stays here.
# X-SMS-Signature is the SMS gateway's HMAC over an inbound text's raw body: notifications checks it,
# so the inbound webhook needs no staff token (and the body is forwarded byte for byte).
FORWARDED_REQUEST = ("Content-Type", "Accept", "Accept-Language", "Authorization", "Idempotency-Key",
                     "X-Manage-Token", "X-Hold-Token", "X-Offer-Token", "X-SMS-Signature", "If-Match",
                     "If-None-Match")
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
              "trailer", "trailers", "transfer-encoding", "upgrade"}
# Recomputed here: the length by Flask, the id by us; requests has already undone any encoding.
RECOMPUTED = {"content-length", "content-encoding", "date", "server", "x-request-id"}
PATH_SAFE = "/:@!$&'()*+,;=-._~"


def owner_of(rest: str) -> str | None:
    return OWNERS.get(rest.split("/", 1)[0])


def is_creating_post(rest: str) -> bool:
    """POST to a collection (/bookings, /appointment-requests, ...): the routes that create resources."""
    return request.method == "POST" and "/" not in rest.strip("/")


def upstream_request_headers() -> dict[str, str]:
    headers = {name: request.headers[name] for name in FORWARDED_REQUEST if name in request.headers}
    # The peer as the socket saw it, even when TRUSTED_PROXIES rewrote remote_addr to the client.
    peer = request.environ.get("werkzeug.proxy_fix.orig", {}).get("REMOTE_ADDR") or request.remote_addr
    chain = request.headers.get("X-Forwarded-For")
    headers["X-Forwarded-For"] = f"{chain}, {peer}" if chain else (peer or "")
    headers["X-Forwarded-Proto"] = request.scheme
    headers["X-Request-ID"] = g.request_id
    headers.update(client_address_headers())  # who the client is, vouched for (bookings counts holds by it)
    headers["Accept-Encoding"] = "identity"  # bodies pass through as they are; no re-encoding here
    return headers


def downstream_headers(upstream: requests.Response, base_url: str) -> list[tuple[str, str]]:
    raw = getattr(upstream.raw, "headers", None)
    pairs = list(raw.items()) if raw is not None else list(upstream.headers.items())
    named = {t.strip().lower() for t in upstream.headers.get("Connection", "").split(",")}
    dropped = HOP_BY_HOP | RECOMPUTED | named
    if request.method == "HEAD":
        dropped = dropped - {"content-length"}  # no body to measure: the service's length is the truth
    kept = []
    for name, value in pairs:
        if name.lower() in dropped:
            continue
        if name.lower() == "location" and (value == base_url or value.startswith(base_url + "/")):
            value = value[len(base_url):] or "/"  # never leak the internal address of a service
        kept.append((name, value))
    return kept


def to_flask(upstream: requests.Response, base_url: str) -> Response:
    response = Response(upstream.content, status=upstream.status_code)
    del response.headers["Content-Type"]  # Flask's text/html default would be a lie; the service's follows
    for name, value in downstream_headers(upstream, base_url):
        if name.lower() == "content-length":
            response.headers[name] = value  # HEAD only: replaces the 0 measured on the empty body
        else:
            response.headers.add(name, value)
    return response


def forward(pool: SessionPool, service: str, base_url: str, timeout: tuple[float, float]) -> Response:
    base_url = base_url.rstrip("/")
    url = base_url + quote(request.path, safe=PATH_SAFE)
    if request.query_string:
        url += "?" + request.query_string.decode("latin-1")
    body = read_body()
    started = time.perf_counter()
    try:
        answer = pool.session().request(request.method, url, headers=upstream_request_headers(),
                                        data=body or None, timeout=timeout, allow_redirects=False)
    except requests.RequestException as exc:
        # Log the class only: a requests error message quotes the URL, query string and all.
        timed_out = is_timeout(exc)
        log.warning("upstream timeout" if timed_out else "upstream unavailable",
                    extra={"upstream": service, "error": type(exc).__name__})
        return upstream_failure(service, request.method, exc, timed_out)
    finally:
        g.log_extra = {"upstream": service, "upstream_ms": round((time.perf_counter() - started) * 1000, 1)}
    return to_flask(answer, base_url)


def check_bearer() -> Response | None:
    """A token that is present must be valid; no token passes (each service decides what is public)."""
    try:
        bearer_claims()
    except Unauthorized as exc:
        return problem(401, exc.title, exc.detail, slug=exc.slug,
                       headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
    return None


def register_proxy(app: Flask, pool: SessionPool, limit_writes) -> None:
    settings = app.config["CLINIC_SETTINGS"]
    timeout = timeout_from(settings)

    def proxy(rest: str):
        service = owner_of(rest)
        if service is None:
            abort(404)
        refusal = check_bearer()
        if refusal is not None:
            return refusal
        return forward(pool, service, settings.service_urls[service], timeout)

    app.add_url_rule("/api/v1/<path:rest>", "proxy", limit_writes(proxy), methods=METHODS)
