"""The notifications worker in-process (consumer and dispatch threads) against the real broker,
datastore, an SMTP server and an SMS webhook, on a clock the test sets."""
import threading

import pika
import pytest

from clinic_common.auth import issue_token
from clinic_common.events import Event
from clinic_common.messaging.publisher import Publisher
from clinic_common.messaging.topology import Topology, connection_parameters
from clinic_common.runner import build_relay

from notifications import create_app
from notifications.config import OUTBOX_COLLECTIONS, QUEUE, SERVICE, load_notification_settings
from testsupport.notifications import FakeClock, SmsSink, SmtpSink, utc
from testsupport.waiting import wait_for_queue
from notifications.worker import build_worker

FAST = {"NOTIFY_POLL_S": "0.05", "NOTIFY_RETRY_BASE_S": "0.1", "NOTIFY_MAX_ATTEMPTS": "3", "NOTIFY_LEASE_S": "5",
        "SMTP_TIMEOUT_S": "2", "SMS_TIMEOUT_S": "2", "NOTIFY_SENDERS": "1",
        "TELEHEALTH_JOIN_BASE_URL": "https://video.clinic.example/join"}


@pytest.fixture
def smtp():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def sms():
    sink = SmsSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def clock():
    return FakeClock(utc(2026, 12, 1, 12, 0))


@pytest.fixture
def worker_env(test_env, smtp, sms):
    return {**test_env, **FAST, **smtp.env(), "SMS_WEBHOOK_URL": sms.url}


@pytest.fixture
def start_worker(worker_env, clock):
    """Start a worker (consumer + dispatcher threads) on `worker_env` plus overrides; stopped afterwards."""
    running = []

    def start(**overrides):
        settings = load_notification_settings({**worker_env, **overrides})
        stop = threading.Event()
        worker = build_worker(settings, stop, clock)
        threads = [threading.Thread(target=loop.run, daemon=True) for loop in worker.loops]
        for thread in threads:
            thread.start()
        running.append((stop, threads, worker))
        wait_for_queue(settings, worker.consumer.queue)
        return settings

    yield start
    for stop, threads, worker in running:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
        worker.close()


@pytest.fixture
def worker(start_worker):
    return start_worker()


@pytest.fixture
def relay_for():
    """notification.* events out of the notifications outbox, as `python -m notifications.relay` does."""
    running = []

    def start(settings):
        loop = build_relay(settings, SERVICE, OUTBOX_COLLECTIONS)
        running.append((loop, threading.Thread(target=loop.run, daemon=True)))
        running[-1][1].start()
        return loop

    yield start
    for loop, thread in running:
        loop.stop.set()
        thread.join(timeout=10)


@pytest.fixture
def publish(settings):
    publisher = Publisher(settings.amqp_url, 3.0, Topology(settings.amqp_namespace))

    def send(event_type: str, data: dict, **kwargs) -> Event:
        event = Event(type=event_type, data=data, **kwargs)
        publisher.publish(event)
        return event

    send.publisher = publisher
    yield send
    publisher.close()


@pytest.fixture
def log_client(make_app, settings):
    """GET the delivery log of a booking as staff: the list of records."""
    client = make_app(create_app).test_client()
    token = issue_token(settings.jwt_secret, "desk", "staff")

    def records(booking_id):
        response = client.get(f"/api/v1/notifications?booking_id={booking_id}",
                              headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200, response.json
        return response.json["notifications"]

    records.client, records.headers = client, {"Authorization": f"Bearer {token}"}
    return records


@pytest.fixture
def parked(settings):
    return lambda limit=10: parked_messages(settings, limit)


def parked_messages(settings, limit=10):
    """(headers, body) of what sits in the notifications parking queue, left in place."""
    connection = pika.BlockingConnection(connection_parameters(settings.amqp_url, 5))
    channel, found = connection.channel(), []
    try:
        for _ in range(limit):
            queue = Topology.parking_queue(Topology(settings.amqp_namespace).queue(QUEUE))
            method, props, body = channel.basic_get(queue)
            if method is None:
                break
            found.append((dict(props.headers or {}), body))
    finally:
        connection.close()  # unacked: the messages go back to the queue
    return found
