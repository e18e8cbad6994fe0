"""Real HTTP services on 127.0.0.1 for the gateway to talk to: tiny Flask apps served by werkzeug in threads."""
from __future__ import annotations

import importlib
import json
import logging
import socket
import sys
import threading
import time

import pytest
from flask import Flask, Response, jsonify, request
from werkzeug.serving import make_server


def _real_gateway_package():
    """pytest's importlib mode names these files gateway.tests.*, and so registers the directory gateway/
    as a namespace package called `gateway` before this file runs, hiding the real package gateway/gateway/.
    Put the real one back; the test modules only need `gateway.tests`, which stays registered."""
    placeholder = sys.modules.get("gateway")
    if placeholder is not None and getattr(placeholder, "__file__", None) is None:
        del sys.modules["gateway"]
    return importlib.import_module("gateway")


create_app = _real_gateway_package().create_app

SECRET = "gateway-test-secret-at-least-32-bytes-long"  # PyJWT warns (an error here) below 32 bytes
SERVICES = ("locations", "bookings", "notifications")
WORKERS = {"locations": "locations-relay", "bookings": "bookings-relay", "notifications": "notifications-worker"}
ECHOED_HEADERS = ("Content-Type", "Accept", "Authorization", "Idempotency-Key", "X-Manage-Token", "X-Hold-Token", "X-Offer-Token",
                  "X-SMS-Signature",
                  "X-Client-Address", "X-Client-Address-Proof",
                  "X-Request-ID", "X-Forwarded-For", "X-Forwarded-Proto", "Cookie")


def healthy(name: str) -> dict:
    components = {"mongo": {"status": "ok"}, "rabbitmq": {"status": "ok"}, WORKERS[name]: {"status": "ok"}}
    return {"status": "ok", "service": name, "components": components}


def spec_of(name: str) -> dict:
    """A small flask-smorest-like document: one path of its own and an Error schema every service shares."""
    error = {"type": "object", "properties": {"title": {"type": "string"}}}
    item = {"type": "object", "properties": {"id": {"type": "string"}, "owner": {"type": "string", "enum": [name]}}}
    ref = {"$ref": "#/components/schemas/Item"}
    path = {"get": {"tags": [name], "summary": f"List {name}",
                    "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": ref}}}}}}
    return {"openapi": "3.0.3", "info": {"title": name, "version": "1"}, "tags": [{"name": name}],
            "paths": {f"/api/v1/{name}": path},
            "components": {"schemas": {"Error": error, "Item": item}}}


class FakeService:
    """One service: echoes what it received; its /health, /openapi.json and delays are set per test."""

    def __init__(self, name: str):
        self.name = name
        self.calls: list[dict] = []
        self.reset()
        self.server = make_server("127.0.0.1", 0, self._app(), threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def reset(self) -> None:
        self.health_status, self.health_body = 200, healthy(self.name)
        self.spec, self.delay_s, self.health_delay_s = spec_of(self.name), 0.0, 0.0
        self.cache_control: str | None = "no-store"  # None: the service leaves caching to the gateway
        self.calls.clear()

    def _app(self) -> Flask:
        app = Flask(f"fake-{self.name}")
        app.add_url_rule("/health", "health", self._health)
        app.add_url_rule("/openapi.json", "spec", lambda: jsonify(self.spec))
        app.add_url_rule("/api/v1/<path:rest>", "echo", self._echo,
                         methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
        return app

    def _health(self):
        time.sleep(self.health_delay_s)
        return jsonify(self.health_body), self.health_status

    def _echo(self, rest: str):
        seen = {"service": self.name, "method": request.method, "path": request.path,
                "query": request.query_string.decode(), "body": request.get_data(as_text=True),
                "headers": {h: request.headers[h] for h in ECHOED_HEADERS if h in request.headers}}
        # Recorded before the delay: a call the gateway gave up on must not land in the next test's calls.
        self.calls.append(seen)
        time.sleep(self.delay_s)
        if rest.endswith("slow-body"):
            return Response(self._trickle(), mimetype="application/json")
        if rest.endswith("conflict"):
            body = {"type": "/problems/conflict", "title": "Conflict", "status": 409, "detail": "taken"}
            return Response(json.dumps(body), 409, mimetype="application/problem+json")
        headers = {"ETag": '"v1"', "Retry-After": "7",
                   "Location": f"{self.url}/api/v1/{rest}/new", "X-Upstream-Only": "yes"}
        if self.cache_control is not None:
            headers["Cache-Control"] = self.cache_control
        return Response(json.dumps(seen), 201 if request.method == "POST" else 200,
                        mimetype="application/json", headers=headers)


    @staticmethod
    def _trickle():
        yield b'{"started": '
        time.sleep(0.5)
        yield b"true}"


@pytest.fixture(scope="session")
def services():
    fakes = {name: FakeService(name) for name in SERVICES}
    for fake in fakes.values():
        fake.thread.start()
    yield fakes
    for fake in fakes.values():
        fake.server.shutdown()
        fake.server.server_close()


@pytest.fixture(autouse=True)
def _fresh_services_and_logging(request):
    """Each test starts from healthy services and leaves the root logger as it found it."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:], root.level = handlers, level
    if "services" in request.fixturenames:
        for fake in request.getfixturevalue("services").values():
            fake.reset()


@pytest.fixture
def dead_url() -> str:
    """The address of a port nobody listens on: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


@pytest.fixture
def make_gateway(services):
    """Build a gateway (test client) pointed at the fake services; `env` overrides any variable."""
    apps = []

    def build(**env):
        base = {"CLINIC_ENV": "development", "JWT_SECRET": SECRET, "LOG_LEVEL": "INFO",
                **{f"{name.upper()}_URL": fake.url for name, fake in services.items()}}
        app = create_app({**base, **{k: str(v) for k, v in env.items()}})
        apps.append(app)
        return app.test_client()

    yield build
    for app in apps:
        app.extensions["gateway"].pool.close()


@pytest.fixture
def gateway(make_gateway):
    return make_gateway()
