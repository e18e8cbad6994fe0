"""Requests gunicorn refuses before any app sees them (malformed request line, URL too long,
headers too large) are answered in the API's one error shape, RFC 7807 problem+json, by the
gateway's worker class and the services' alike (they share deploy/gunicorn.conf.py)."""
from __future__ import annotations

import json

import pytest

from tests.deploy.served import Gunicorn, raw_exchange

HOST = b"Host: 127.0.0.1\r\n"
REFUSED = {
    "malformed request line": (b"THIS IS NOT HTTP\r\n" + HOST + b"\r\n", 400),
    "bad header name": (b"GET / HTTP/1.1\r\n" + HOST + b"Bad Header: x\r\n\r\n", 400),
    "URL too long": (b"GET /" + b"a" * 8000 + b" HTTP/1.1\r\n" + HOST + b"\r\n", 414),
    "header too large": (b"GET / HTTP/1.1\r\n" + HOST + b"X-Big: " + b"b" * 9000 + b"\r\n\r\n", 431),
    "too many headers": (b"GET / HTTP/1.1\r\n" + HOST + b"".join(b"X-%d: 1\r\n" % i for i in range(120)) + b"\r\n", 431),
}
# The gateway (gevent) and a service (gthread): no datastore needed, gunicorn answers first.
APPS = {"gateway.wsgi:app": {}, "locations.wsgi:app": {"MONGO_URL": "mongodb://127.0.0.1:9/", "MONGO_TIMEOUT_MS": "200"}}


@pytest.fixture(scope="module", params=sorted(APPS))
def server(request):
    served = Gunicorn(request.param, {"WEB_WORKERS": "1", **APPS[request.param]})
    try:
        served.wait_ready()
        yield served
    finally:
        served.stop()


def split_response(raw: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
    return int(status_line.split()[1]), headers, body


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_gunicorn_refusals_are_problem_json(server, case):
    request, expected_status = REFUSED[case]
    status, headers, body = split_response(raw_exchange(server.port, request))
    assert status == expected_status
    assert headers["content-type"] == "application/problem+json"
    assert headers["cache-control"] == "no-store"
    assert int(headers["content-length"]) == len(body)
    problem = json.loads(body)
    assert problem["status"] == expected_status
    assert problem["type"].startswith("/problems/") and problem["title"] and problem["detail"]
