"""Where the datastore and the broker are, and each test's own corner of them.

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
def service_db(settings):
    """service_db(name): the test's own database of service `name` (e.g. "bookings"), for direct checks."""
    from pymongo import MongoClient

    client = MongoClient(settings.mongo_url, tz_aware=True, serverSelectionTimeoutMS=5000)
    yield lambda name: client[settings.db_name(name)]
    client.close()


@pytest.fixture
def mongo_db(service_db):
    """A pymongo database of the test's own (random) name on the shared datastore."""
    return service_db("scratch")
