"""What the services really publish: locations, bookings and notifications driven in-process
(their apps, relays and the notifications worker) against the real broker and datastore, every
message on the test's exchange collected by a tap. Done once per module: it takes a while."""
from __future__ import annotations

import io
import json
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pika
import pytest
import yaml
from pymongo import MongoClient
from werkzeug.serving import make_server

from clinic_common.config import load_settings
from clinic_common.messaging.topology import Topology, connection_parameters

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)  # Monday 7 December is bookable
VISIT_DAY = datetime(2026, 12, 7, 17, 30, tzinfo=timezone.utc)  # 11:30 that Monday in Jonesboro


class Background:
    """Loops (relays, consumers) and HTTP servers started for the module, all stopped at the end."""

    def __init__(self):
        self.stop, self.threads, self.servers, self.closers = threading.Event(), [], [], []

    def run(self, target) -> None:
        self.threads.append(threading.Thread(target=target, daemon=True))
        self.threads[-1].start()

    def serve(self, app) -> str:
        server = make_server("127.0.0.1", 0, app, threaded=True)
        self.servers.append(server)
        self.run(server.serve_forever)
        return f"http://127.0.0.1:{server.server_port}"

    def close(self) -> None:
        self.stop.set()
        for server in self.servers:
            server.shutdown()
            server.server_close()
        for thread in self.threads:
            thread.join(timeout=10)
        for close in self.closers:
            close()


class Tap:
    """A temporary queue bound to every routing key of the test's exchange."""

    def __init__(self, settings):
        topology = Topology(settings.amqp_namespace)
        self._connection = pika.BlockingConnection(connection_parameters(settings.amqp_url, 5))
        self._channel = self._connection.channel()
        topology.declare_exchanges(self._channel)
        self._queue = self._channel.queue_declare("", exclusive=True).method.queue
        self._channel.queue_bind(self._queue, topology.exchange, routing_key="#")
        self.messages: list[tuple] = []

    def collect_until(self, done, timeout_s: float) -> list[tuple]:
        """(routing key, properties, body) until `done(messages)` or the time is up."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and not done(self.messages):
            method, props, body = self._channel.basic_get(self._queue, auto_ack=True)
            if method is None:
                self._connection.sleep(0.05)
                continue
            self.messages.append((method.routing_key, props, json.loads(body)))
        return self.messages

    def close(self) -> None:
        self._connection.close()


@pytest.fixture(scope="module")
def contract_settings(mongo_url, amqp_url):
    tag = "c" + uuid.uuid4().hex[:9]
    env = {"CLINIC_ENV": "development", "JWT_SECRET": f"contract-test-secret-at-least-32-bytes-{tag}",
           "MONGO_URL": mongo_url, "AMQP_URL": amqp_url, "MONGO_DB_PREFIX": tag, "AMQP_NAMESPACE": tag,
           "HEARTBEAT_S": "0.2", "OUTBOX_POLL_S": "0.02", "NOTIFY_POLL_S": "0.05", "SMS_WEBHOOK_URL": ""}
    return env, load_settings(env)


@pytest.fixture(scope="module")
def background():
    running = Background()
    yield running
    running.close()


@pytest.fixture(scope="module")
def tap(contract_settings):
    listening = Tap(contract_settings[1])
    yield listening
    listening.close()


@pytest.fixture(scope="module")
def smtp_sink():
    from testsupport.notifications import SmtpSink

    sink = SmtpSink().start()
    sink.refuse = "refused@"  # one patient's address bounces: notification.failed
    yield sink
    sink.stop()


@pytest.fixture(scope="module")
def locations_url(contract_settings, background):
    """The locations service with the demo practice (seeding announces every record), over HTTP."""
    from locations import create_app
    from locations.seed import seed

    env, settings = contract_settings
    client = MongoClient(settings.mongo_url, tz_aware=True)
    seed(client[settings.db_name("locations")], out=io.StringIO())
    client.close()
    app = create_app(env)
    background.closers.append(app.extensions["clinic"].close)
    return background.serve(app)


@pytest.fixture(scope="module")
def bookings_client(contract_settings, locations_url, background):
    from bookings import create_app

    env, _ = contract_settings
    app = create_app({**env, "LOCATIONS_URL": locations_url}, {"clock": lambda: NOW})
    background.closers.append(app.extensions["clinic"].close)
    return app.test_client()


@pytest.fixture(scope="module")
def pipeline(contract_settings, smtp_sink, background, tap):
    """Every relay and the notifications worker, running as their processes would."""
    from clinic_common.runner import build_relay

    from bookings.config import OUTBOX_COLLECTIONS as BOOKINGS_OUTBOX
    from locations.config import OUTBOX_COLLECTIONS as LOCATIONS_OUTBOX
    from notifications.config import OUTBOX_COLLECTIONS as NOTIFICATIONS_OUTBOX, QUEUE, load_notification_settings
    from testsupport.notifications import FakeClock
    from testsupport.waiting import wait_for_queue
    from notifications.worker import build_worker

    env, settings = contract_settings
    worker_settings = load_notification_settings({**env, **smtp_sink.env()})
    worker = build_worker(worker_settings, background.stop, FakeClock(NOW))
    for loop in worker.loops:
        background.run(loop.run)
    background.closers.append(worker.close)
    wait_for_queue(settings, worker.consumer.queue)
    for service, collections in (("locations", LOCATIONS_OUTBOX), ("bookings", BOOKINGS_OUTBOX),
                                 ("notifications", NOTIFICATIONS_OUTBOX)):
        background.run(build_relay(worker_settings, service, collections, stop=background.stop).run)
    return QUEUE


def _book(client, start, service="therapy-cbt", **patient):
    body = {"service_id": service, "provider_id": "hannah-brooks", "location_id": "jonesboro", "start": start,
            "patient": {"name": "Ana Diaz", "email": "ana@example.com", "phone": "+15555550123", "language": "es",
                        "state": "AR", **patient}}
    response = client.post("/api/v1/bookings", json=body)
    assert response.status_code == 201, response.json
    return response.json


def drive_every_booking_transition(client, staff: dict) -> None:
    """booking.requested, .confirmed, .rescheduled, .cancelled (one by staff inside the cutoff: `late`),
    .checked_in, .completed, .no_show."""
    moved = _book(client, "2026-12-07T09:00:00-06:00")
    token = {"X-Manage-Token": moved["manage_token"]}
    for path, body in (("reschedule", {"start": "2026-12-07T13:00:00-06:00"}), ("cancel", {"reason": "better"})):
        assert client.post(f"/api/v1/bookings/{moved['id']}/{path}", json=body, headers=token).status_code == 200
    visit = _book(client, "2026-12-07T10:00:00-06:00", service="intake")
    missed = _book(client, "2026-12-07T11:00:00-06:00")
    late = _book(client, "2026-12-07T16:00:00-06:00")
    assert client.post(f"/api/v1/bookings/{visit['id']}/confirm", headers=staff).status_code == 200
    # the visits' day, 11:30 in Jonesboro: check-in only on the visit's day, complete and no-show after the start
    client.application.extensions["clock"] = lambda: VISIT_DAY
    for path in ("check-in", "complete"):
        assert client.post(f"/api/v1/bookings/{visit['id']}/{path}", headers=staff).status_code == 200
    assert client.post(f"/api/v1/bookings/{missed['id']}/no-show", headers=staff).status_code == 200
    cancelled = client.post(f"/api/v1/bookings/{late['id']}/cancel", json={"reason": "called"}, headers=staff)
    assert cancelled.status_code == 200 and cancelled.json["late"] is True
    client.application.extensions["clock"] = lambda: NOW
    _book(client, "2026-12-07T14:00:00-06:00", email="refused@example.com")  # its email bounces


def drive_appointment_requests(client, staff: dict) -> None:
    """appointment_request.created (twice), .booked (with its booking.confirmed) and .closed."""
    patient = {"name": "Ana Diaz", "email": "ana@example.com", "phone": "+15555550123", "language": "es", "state": "AR"}
    ids = []
    for modality, locations in (("in_person", ["jonesboro"]), ("telehealth", [])):
        response = client.post("/api/v1/appointment-requests", json={
            "patient": patient, "service_id": "therapy-cbt", "modality": modality, "location_ids": locations,
            "preferred_days": ["mon"], "preferred_times": ["afternoon"], "notes": "after school"})
        assert response.status_code == 201, response.json
        ids.append(response.json["id"])
    booked = client.post(f"/api/v1/appointment-requests/{ids[0]}/book", headers=staff, json={
        "provider_id": "hannah-brooks", "location_id": "jonesboro", "start": "2026-12-07T15:00:00-06:00"})
    assert booked.status_code == 201, booked.json
    closed = client.post(f"/api/v1/appointment-requests/{ids[1]}/close", headers=staff, json={"reason": "called"})
    assert closed.status_code == 200, closed.json


def drive_a_series(client) -> None:
    """series.created, then series.cancelled (its visits' booking.cancelled carry cancelled_with_series)."""
    patient = {"name": "Ana Diaz", "email": "ana@example.com", "phone": "+15555550123", "language": "es", "state": "AR"}
    created = client.post("/api/v1/series", json={
        "service_id": "therapy-cbt", "provider_id": "miguel-santos", "location_id": "jonesboro",
        "start": "2026-12-10T09:00:00-06:00", "every_weeks": 1, "count": 2, "patient": patient})
    assert created.status_code == 201, created.json
    cancelled = client.post(f"/api/v1/series/{created.json['id']}/cancel", json={},
                            headers={"X-Manage-Token": created.json["manage_token"]})
    assert cancelled.status_code == 200, cancelled.json


def drive_a_combined_visit(client) -> None:
    """visit.booked (and its two parts' booking.confirmed, each with visit_id); one part of it cancelled on
    its own (booking.cancelled with visit_id, the other part stays); a second visit booked and cancelled
    whole (visit.cancelled, its parts' booking.cancelled with cancelled_with_visit)."""
    patient = {"name": "Ana Diaz", "email": "ana@example.com", "phone": "+15555550123", "language": "es", "state": "AR"}
    visits = []
    for therapy, meds in (("09:00", "10:00"), ("13:00", "14:00")):
        booked = client.post("/api/v1/visits", json={"patient": patient, "location_id": "jonesboro", "parts": [
            {"service_id": "therapy-cbt", "provider_id": "miguel-santos", "start": f"2026-12-08T{therapy}:00-06:00"},
            {"service_id": "med-follow-up", "provider_id": "grace-okafor", "start": f"2026-12-08T{meds}:00-06:00"}]})
        assert booked.status_code == 201, booked.json
        visits.append(booked.json)
    kept, cancelled = visits
    token = {"X-Manage-Token": kept["manage_token"]}
    one = client.post(f"/api/v1/bookings/{kept['bookings'][0]['id']}/cancel", json={"reason": "meds only"},
                      headers=token)
    assert one.status_code == 200, one.json
    whole = client.post(f"/api/v1/visits/{cancelled['id']}/cancel", json={"reason": "travelling"},
                        headers={"X-Manage-Token": cancelled["manage_token"]})
    assert whole.status_code == 200, whole.json


def drive_the_waitlist(client, contract_settings, locations_url) -> None:
    """waitlist.joined (twice), .offered (a cancelled slot to the longest-waiting; then another), .booked (the
    first accepted through its link), .expired (the second ran out: the relay's sweep after OFFER_MINUTES).
    The bookings worker's part (a booking.cancelled offered on) runs here in-process at the app's clock."""
    from pymongo import MongoClient

    from bookings.config import load_booking_settings, offer_link_key
    from bookings.domain.waitlist import link_credential
    from bookings.waitlist_housekeeping import on_booking_event, sweep, waitlist_deps

    env, settings = contract_settings
    booking_settings = load_booking_settings({**env, "LOCATIONS_URL": locations_url})
    patient = {"name": "Ana Diaz", "email": "ana@example.com", "phone": "+15555550123", "language": "es", "state": "AR"}
    entries = []
    for _ in range(2):
        joined = client.post("/api/v1/waitlist", json={
            "patient": patient, "service_id": "therapy-cbt", "modality": "in_person", "location_ids": ["jonesboro"],
            "until": "2026-12-31", "windows": [{"days": ["wed"], "from": "08:00", "to": "12:00"}]})
        assert joined.status_code == 201, joined.json
        entries.append(joined.json)
    mongo = MongoClient(settings.mongo_url, tz_aware=True)
    clock = {"now": NOW}
    deps = waitlist_deps(mongo[settings.db_name("bookings")], booking_settings, lambda: clock["now"])
    for start in ("2026-12-09T09:00:00-06:00", "2026-12-09T10:00:00-06:00"):
        booked = _book(client, start)
        cancelled = client.post(f"/api/v1/bookings/{booked['id']}/cancel", json={},
                                headers={"X-Manage-Token": booked["manage_token"]})
        assert cancelled.status_code == 200, cancelled.json
        on_booking_event(deps, "booking.cancelled", cancelled.json)
    first, second = entries
    offer = client.get(f"/api/v1/waitlist/{first['id']}", headers={"X-Manage-Token": first["manage_token"]}).json
    credential = link_credential(offer_link_key(booking_settings), first["id"], offer["offer"]["id"])
    accepted = client.post(f"/api/v1/waitlist/{first['id']}/accept", json={"offer_id": offer["offer"]["id"]},
                           headers={"X-Offer-Token": credential})
    assert accepted.status_code == 201, accepted.json
    clock["now"] = NOW + timedelta(minutes=booking_settings.offer_minutes + 1)
    assert sweep(deps) == 1  # the second's offer ran out
    mongo.close()


def drive_a_disruption(client, staff: dict, locations_url: str) -> None:
    """booking.disrupted (a closure over a booking, found by the staff scan) and booking.disruption_cleared
    (the closure deleted, scanned again)."""
    import requests

    booked = _book(client, "2026-12-14T09:00:00-06:00")
    closure = requests.post(f"{locations_url}/api/v1/locations/jonesboro/closures", headers=staff, timeout=10,
                            json={"from": "2026-12-14", "to": "2026-12-14", "reason": "Holiday"}).json()
    scan = {"location_id": "jonesboro"}
    assert client.post("/api/v1/bookings/disruptions/scan", json=scan, headers=staff).json["disrupted_bookings"] == 1
    assert requests.delete(f"{locations_url}/api/v1/locations/jonesboro/closures/{closure['id']}", headers=staff,
                           timeout=10).status_code == 204
    assert client.post("/api/v1/bookings/disruptions/scan", json=scan, headers=staff).json["cleared_bookings"] == 1
    assert client.get(f"/api/v1/bookings/{booked['id']}", headers=staff).json["disruption"] is None


def documented_keys() -> set[str]:
    """Every routing key docs/asyncapi.yaml documents: the drive publishes each, and the tap waits for all."""
    document = yaml.safe_load((Path(__file__).resolve().parents[2] / "docs" / "asyncapi.yaml").read_text())
    return {channel["address"] for channel in document["channels"].values()}


@pytest.fixture(scope="module")
def published(contract_settings, pipeline, bookings_client, locations_url, tap):
    """(routing key, properties, body) of everything published while the services were driven."""
    from clinic_common.auth import issue_token

    _, settings = contract_settings
    staff = {"Authorization": "Bearer " + issue_token(settings.jwt_secret, "desk", "staff")}
    drive_every_booking_transition(bookings_client, staff)
    drive_appointment_requests(bookings_client, staff)
    drive_a_series(bookings_client)
    drive_a_combined_visit(bookings_client)
    drive_the_waitlist(bookings_client, contract_settings, locations_url)
    drive_a_disruption(bookings_client, staff, locations_url)

    expected = documented_keys()

    def complete(messages):
        # Events leave at different paces (the seed's catalogue through the relay after its grace period,
        # the rest through the fast lane): wait for every documented key, up to the timeout.
        keys = [key for key, _, _ in messages]
        return keys.count("notification.sent") >= 9 and "notification.failed" in keys and expected <= set(keys)
    return tap.collect_until(complete, timeout_s=60)
