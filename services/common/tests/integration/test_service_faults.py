"""A service whose datastore is away says so quickly, in /health and problem+json, and recovers by itself."""
import socket
import time

import pytest

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from clinic_common.devmongo import EmbeddedMongo
from clinic_common.mongo import LazyMongo
from clinic_common.web import add_standard_checks, create_service_app, resource


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def probe_app():
    """Builds the probe service for given settings and closes its clients afterwards."""
    contexts = []

    def build(settings):
        client = _app(settings)
        contexts.append(client.application.extensions["clinic"])
        return client

    yield build
    for context in contexts:
        context.close()


def _app(settings):
    app, api, context = create_service_app("probe", settings, "Probe")
    mongo = LazyMongo(settings, settings.db_name("probe"), "probe")
    add_standard_checks(app, mongo, workers=())
    context.provide("things", lambda: mongo.db.things)
    blp = Blueprint("things", __name__, url_prefix="/api/v1/things")

    @blp.route("")
    class Things(MethodView):
        def get(self):
            return {"count": resource("things").count_documents({})}

        def post(self):
            return {"got": len(request.get_data())}

    api.register_blueprint(blp)
    return app.test_client()


def test_datastore_down_then_back_without_a_restart(settings, probe_app):
    port = _free_port()
    settings = settings.with_overrides(mongo_url=f"mongodb://127.0.0.1:{port}/?directConnection=true",
                                       mongo_timeout_ms=500)
    client = probe_app(settings)

    started = time.monotonic()
    health = client.get("/health")
    request = client.get("/api/v1/things", headers={"X-Request-ID": "req-down-1"})
    assert time.monotonic() - started < 5, "no hang beyond the configured timeout"
    assert health.status_code == 503 and health.json["components"]["mongo"]["status"] == "down"
    assert health.json["components"]["rabbitmq"]["status"] == "ok"
    assert request.status_code == 503 and request.content_type == "application/problem+json"
    assert request.json["request_id"] == "req-down-1" and request.headers["Retry-After"]

    server = EmbeddedMongo(port=port).start()
    try:
        deadline = time.monotonic() + 10
        while client.get("/health").status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert client.get("/health").status_code == 200
        assert client.get("/api/v1/things").json == {"count": 0}
    finally:
        server.stop()


def test_broker_down_is_reported_with_the_url_but_not_its_password(settings, probe_app):
    settings = settings.with_overrides(amqp_url="amqp://guest:hunter2@127.0.0.1:1/%2F")
    body = probe_app(settings).get("/health").json
    assert body["status"] == "down"
    assert "127.0.0.1:1" in body["components"]["rabbitmq"]["detail"]
    assert "hunter2" not in str(body)


def test_request_ids_are_echoed_when_sane_and_minted_otherwise(settings, probe_app):
    client = probe_app(settings)
    assert client.get("/api/v1/things", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"] == "abc-123"
    minted = client.get("/api/v1/things", headers={"X-Request-ID": "bad id\twith spaces"}).headers["X-Request-ID"]
    assert minted and " " not in minted
    assert client.get("/nowhere").headers["X-Request-ID"]


def test_a_body_over_one_mebibyte_is_413(settings, probe_app):
    response = probe_app(settings).post("/api/v1/things", data=b"x" * (1024 * 1024 + 1), content_type="application/json")
    assert response.status_code == 413 and response.content_type == "application/problem+json"
