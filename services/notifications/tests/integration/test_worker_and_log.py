"""The notifications worker records what each event calls for, once; staff read the masked log."""
import threading
import time

import pytest

from clinic_common.auth import issue_token
from clinic_common.events import Event
from clinic_common.messaging.publisher import Publisher
from clinic_common.messaging.topology import Topology
from clinic_common.runner import build_consumer

from notifications import create_app
from notifications.config import CONSUMER, SERVICE
from notifications.events.handlers import make_handler

BOOKING = {"id": "b" * 32, "status": "confirmed",
           "patient": {"name": "Ana Diaz", "email": "ana@example.com", "phone": "+15555550123", "language": "es"}}


@pytest.fixture
def worker(settings):
    loop = build_consumer(settings, SERVICE, CONSUMER, make_handler)
    thread = threading.Thread(target=loop.run, daemon=True)
    thread.start()
    yield loop
    loop.stop.set()
    thread.join(timeout=5)


@pytest.fixture
def client(make_app):
    return make_app(create_app).test_client()


def _log(client, settings, role="staff"):
    token = issue_token(settings.jwt_secret, "desk", role, provider_id="p1" if role == "clinician" else None)
    return client.get(f"/api/v1/notifications?booking_id={BOOKING['id']}", headers={"Authorization": f"Bearer {token}"})


def _wait_for(predicate, timeout_s=10):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and not predicate():
        time.sleep(0.1)
    return predicate()


def test_a_confirmation_is_recorded_once_per_channel_even_if_the_event_comes_twice(settings, worker, client):
    time.sleep(1.0)  # let the worker declare and bind its queue
    event = Event(type="booking.confirmed", data=BOOKING)
    publisher = Publisher(settings.amqp_url, 3.0, Topology(settings.amqp_namespace))
    publisher.publish(event)
    publisher.publish(event)
    publisher.close()

    assert _wait_for(lambda: len(_log(client, settings).json["notifications"]) == 2)
    time.sleep(0.5)
    records = _log(client, settings).json["notifications"]
    assert sorted(r["channel"] for r in records) == ["email", "sms"]
    assert {r["kind"] for r in records} == {"confirmation"} and {r["language"] for r in records} == {"es"}
    assert {r["recipient"] for r in records} == {"a***@example.com", "***0123"}
    assert all(r["event_id"] == event.id and r["status"] == "pending" for r in records)


def test_the_delivery_log_is_for_staff_only(settings, client):
    assert client.get(f"/api/v1/notifications?booking_id={BOOKING['id']}").status_code == 401
    assert _log(client, settings, role="clinician").status_code == 403
    assert _log(client, settings).status_code == 200
    token = issue_token(settings.jwt_secret, "desk", "staff")
    missing = client.get("/api/v1/notifications", headers={"Authorization": f"Bearer {token}"})
    assert missing.status_code == 422 and "booking_id" in missing.json["errors"]
