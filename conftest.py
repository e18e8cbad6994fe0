"""Fixtures every test tier shares: where the datastore and the broker are.

Order of choice, for each: the URL in the environment (MONGO_URL / AMQP_URL); else a
container from testcontainers when a Docker engine answers; else the local fallback
(the embedded mongo-wire server in memory; the local RabbitMQ that `make test` started).
A missing broker fails the run with directions: it is never skipped silently.
"""
from __future__ import annotations

import os
import socket
import uuid
from urllib.parse import urlsplit

import pytest

from clinic_common.config import load_settings
from clinic_common.devstack.broker import broker_problem


def pytest_collection_modifyitems(items):
    """The folder is the tier: tests under integration/ or system/ are marked so `-m` can pick them."""
    for item in items:
        parts = item.path.parts
        if "integration" in parts or "system" in parts:
            item.add_marker(pytest.mark.integration)
        if "system" in parts:
            item.add_marker(pytest.mark.system)


def _docker_available() -> bool:
    """Whether a Docker engine answers. Probed with a plain socket: the docker SDK leaks one when there is none."""
    if os.environ.get("CLINIC_NO_DOCKER"):
        return False
    host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    try:
        if host.startswith("unix://"):
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(3)
                sock.connect(host[len("unix://"):])
                sock.sendall(b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n")
                return b" 200 " in sock.recv(64)
        target = urlsplit(host.replace("tcp://", "http://"))
        with socket.create_connection((target.hostname, target.port or 2375), timeout=3):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def docker_available() -> bool:
    return _docker_available()


@pytest.fixture(scope="session")
def mongo_url(docker_available):
    if os.environ.get("MONGO_URL"):
        yield os.environ["MONGO_URL"]
    elif docker_available:
        from testcontainers.mongodb import MongoDbContainer

        with MongoDbContainer("mongo:7") as container:
            yield container.get_connection_url()
    else:
        from clinic_common.devmongo import EmbeddedMongo

        server = EmbeddedMongo().start()
        yield server.url
        server.stop()


@pytest.fixture(scope="session")
def amqp_url(docker_available):
    if os.environ.get("AMQP_URL"):
        url = os.environ["AMQP_URL"]
    elif docker_available:
        from testcontainers.rabbitmq import RabbitMqContainer

        with RabbitMqContainer("rabbitmq:3-management") as container:
            params = container.get_connection_params()
            yield f"amqp://guest:guest@{params.host}:{params.port}/%2F"
            return
    else:
        url = load_settings(needs_jwt_secret=False).amqp_url
    problem = broker_problem(url)
    if problem:
        pytest.fail(problem, pytrace=False)
    yield url


@pytest.fixture
def unique() -> str:
    """A short random tag: random names mean tests never clean up after each other."""
    return uuid.uuid4().hex[:10]


@pytest.fixture
def test_env(mongo_url, amqp_url, unique) -> dict:
    """The environment of one test: its own database prefix and its own broker namespace."""
    return {
        "CLINIC_ENV": "development",
        "JWT_SECRET": "test-secret-for-hs256-at-least-32-bytes-" + unique,
        "MONGO_URL": mongo_url,
        "AMQP_URL": amqp_url,
        "MONGO_DB_PREFIX": f"t{unique}",
        "AMQP_NAMESPACE": f"t{unique}",
        "HEARTBEAT_S": "0.2",
        "OUTBOX_POLL_S": "0.02",
        # Relay tests want the relay to see every event at once; the fast lane has tests of its own.
        "OUTBOX_FAST_PATH": "false",
        "OUTBOX_GRACE_S": "0",
    }


@pytest.fixture
def settings(test_env):
    return load_settings(test_env)


@pytest.fixture
def staff(settings) -> dict:
    """Headers of a front-desk staff member."""
    from clinic_common.auth import issue_token

    return {"Authorization": "Bearer " + issue_token(settings.jwt_secret, "front-desk", "staff")}


@pytest.fixture
def clinician(settings):
    """clinician(provider_id) -> headers of that provider's clinician token."""
    from clinic_common.auth import issue_token

    def make(provider_id: str) -> dict:
        return {"Authorization": "Bearer " + issue_token(settings.jwt_secret, "dr", "clinician", provider_id=provider_id)}

    return make


@pytest.fixture
def make_app(test_env):
    """Build a service's app on the test's environment; its clients are closed afterwards."""
    apps = []

    def make(create_app, deps=None, **overrides):
        apps.append(create_app({**test_env, **overrides}, deps))
        return apps[-1]

    yield make
    for app in apps:
        app.extensions["clinic"].close()


class EventTap:
    """A temporary queue bound to the test's exchange: what was really published, in order."""

    def __init__(self, settings, routing_key: str = "#"):
        import pika

        from clinic_common.messaging.topology import Topology, connection_parameters

        topology = Topology(settings.amqp_namespace)
        self._connection = pika.BlockingConnection(connection_parameters(settings.amqp_url, 5))
        self._channel = self._connection.channel()
        topology.declare_exchanges(self._channel)
        self.queue = self._channel.queue_declare("", exclusive=True).method.queue
        self._channel.queue_bind(self.queue, topology.exchange, routing_key=routing_key)

    def drain(self, expect: int, timeout_s: float = 10.0) -> list[tuple]:
        """Wait for `expect` messages (then a short grace for extras); returns (properties, body dict)."""
        import json
        import time

        got, deadline = [], time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            method, props, body = self._channel.basic_get(self.queue, auto_ack=True)
            if method is None:
                if len(got) >= expect:
                    self._connection.sleep(0.3)
                    if self._channel.queue_declare(self.queue, passive=True).method.message_count == 0:
                        break
                self._connection.sleep(0.05)
                continue
            got.append((props, json.loads(body)))
        return got

    def close(self):
        if self._connection.is_open:
            self._connection.close()


@pytest.fixture
def event_tap(settings):
    taps = []

    def make(routing_key: str = "#") -> EventTap:
        taps.append(EventTap(settings, routing_key))
        return taps[-1]

    yield make
    for tap in taps:
        tap.close()


@pytest.fixture
def mongo_db(settings):
    """A pymongo database of the test's own (random) name on the shared datastore."""
    from pymongo import MongoClient

    client = MongoClient(settings.mongo_url, tz_aware=True, serverSelectionTimeoutMS=5000)
    yield client[f"{settings.mongo_db_prefix}_scratch"]
    client.close()


class ServedApp:
    """A Flask app on a real threaded HTTP server on 127.0.0.1, for calls between services."""

    def __init__(self, app):
        import threading

        from werkzeug.serving import make_server

        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@pytest.fixture
def serve():
    served = []

    def start(app) -> ServedApp:
        served.append(ServedApp(app))
        return served[-1]

    yield start
    for server in served:
        server.stop()


@pytest.fixture
def live_locations(settings, make_app, serve):
    """The locations service with the demo practice, over HTTP: its URL."""
    import io

    from pymongo import MongoClient

    from locations import create_app
    from locations.seed import seed

    client = MongoClient(settings.mongo_url, tz_aware=True)
    seed(client[settings.db_name("locations")], out=io.StringIO())
    client.close()
    return serve(make_app(create_app)).url
