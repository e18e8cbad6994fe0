"""Bad input and broken channels: poison events are parked with their reason and never block the
queue; a down SMTP server is retried, then the notification fails truthfully (notification.failed),
and once the server is back new events flow without a restart."""
import json
import uuid

import pika

from clinic_common.messaging.topology import Topology, connection_parameters

from notifications.requeue import main as requeue_main
from testsupport.notifications import SmtpSink, booking_data
from testsupport.waiting import wait_for


def worker_env_of(settings) -> dict:
    return {"MONGO_URL": settings.mongo_url, "MONGO_DB_PREFIX": settings.mongo_db_prefix}


def publish_raw(settings, routing_key: str, body: bytes, message_id: str = "raw"):
    connection = pika.BlockingConnection(connection_parameters(settings.amqp_url, 5))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_publish(Topology(settings.amqp_namespace).exchange, routing_key, body, mandatory=True,
                              properties=pika.BasicProperties(content_type="application/json", message_id=message_id,
                                                              delivery_mode=2, headers={"request_id": "r1"}))
    finally:
        connection.close()


def envelope(event_type: str, data) -> bytes:
    return json.dumps({"id": uuid.uuid4().hex, "type": event_type, "version": 1,
                       "occurred_at": "2026-12-01T12:00:00+00:00", "data": data}).encode()


def test_poison_events_are_parked_with_their_reason_and_the_queue_keeps_flowing(worker, publish, smtp, parked):
    publish_raw(worker, "booking.confirmed", b"{not json")
    publish_raw(worker, "booking.exploded", envelope("booking.exploded", {"id": "b1"}))
    publish_raw(worker, "booking.confirmed", envelope("booking.confirmed", {"id": "b2", "patient": {}}))
    bad_zone = booking_data(uuid.uuid4().hex)
    bad_zone["location"]["timezone"] = "Mars/Olympus_Mons"
    publish_raw(worker, "booking.confirmed", envelope("booking.confirmed", bad_zone))
    good = uuid.uuid4().hex
    publish("booking.confirmed", booking_data(good))

    assert wait_for(lambda: len(smtp.snapshot()) == 1)
    assert wait_for(lambda: len(parked()) == 4)
    reasons = " | ".join(headers["x-parked-reason"] for headers, _ in parked())
    for reason in ("malformed event", "unknown event type 'booking.exploded'",
                   "booking.confirmed: modality must be in_person or telehealth",
                   "booking.confirmed: location.timezone is not an IANA zone"):
        assert reason in reasons


def test_smtp_down_retries_then_fails_truthfully_and_recovers_without_a_restart(
        start_worker, relay_for, publish, log_client, event_tap):
    sink = SmtpSink()  # its port is chosen, nothing listens there yet
    try:
        check_failure_then_recovery(sink, start_worker, relay_for, publish, log_client, event_tap)
    finally:
        sink.stop()


def check_failure_then_recovery(sink, start_worker, relay_for, publish, log_client, event_tap):
    worker = start_worker(**sink.env(), SMS_WEBHOOK_URL="")
    relay_for(worker)
    tap = event_tap("notification.#")
    lost = uuid.uuid4().hex
    publish("booking.confirmed", booking_data(lost, phone=None))
    assert wait_for(lambda: [r["status"] for r in log_client(lost)] == ["failed"])
    [record] = log_client(lost)
    assert record["attempts"] == 3
    assert record["last_error"] == "gave up after 3 attempts: SMTP server unreachable (ConnectionRefusedError)"
    [(props, failed)] = tap.drain(1)
    assert failed["type"] == "notification.failed" and failed["data"]["id"] == record["id"]
    assert failed["data"]["recipient"] == "a***@example.com" and props.message_id == failed["id"]

    sink.start()
    back = uuid.uuid4().hex
    publish("booking.confirmed", booking_data(back, phone=None))
    assert wait_for(lambda: [r["status"] for r in log_client(back)] == ["sent"])
    assert len(sink.snapshot()) == 1
    assert [body["type"] for _, body in tap.drain(1)] == ["notification.sent"]

    # Nothing lost: ops requeue what failed during the outage, and it goes out under its own id.
    assert requeue_main(["--booking-id", lost], env=worker_env_of(worker)) == 0
    assert wait_for(lambda: [r["status"] for r in log_client(lost)] == ["sent"])
    assert len(sink.snapshot()) == 2


def test_an_address_the_server_refuses_fails_at_once(worker, publish, smtp, log_client):
    smtp.refuse = "nobody@"
    refused, malformed = uuid.uuid4().hex, uuid.uuid4().hex
    publish("booking.confirmed", booking_data(refused, email="nobody@example.com", phone=None))
    publish("booking.confirmed", booking_data(malformed, email="not an address", phone=None))
    assert wait_for(lambda: [r["status"] for r in log_client(refused) + log_client(malformed)] == ["failed"] * 2)
    [by_server], [by_us] = log_client(refused), log_client(malformed)
    assert (by_server["attempts"], by_server["last_error"]) == (1, "recipient refused (550)")
    assert (by_us["attempts"], by_us["last_error"]) == (1, "not a valid email address")


def test_sms_gateway_errors_are_retried_then_failed(worker, publish, sms, log_client):
    flaky, broken = uuid.uuid4().hex, uuid.uuid4().hex
    sms.statuses.extend([503])
    publish("booking.confirmed", booking_data(flaky, email=None))
    assert wait_for(lambda: [r["status"] for r in log_client(flaky)] == ["sent"])
    assert log_client(flaky)[0]["attempts"] == 2
    sms.statuses.extend([500, 502, 503])
    publish("booking.confirmed", booking_data(broken, email=None))
    assert wait_for(lambda: [r["status"] for r in log_client(broken)] == ["failed"])
    assert log_client(broken)[0]["last_error"] == "gave up after 3 attempts: SMS gateway answered 503"


def test_a_channel_that_is_not_configured_is_skipped_cleanly(start_worker, publish, smtp, log_client):
    start_worker(SMS_WEBHOOK_URL="")
    booking_id = uuid.uuid4().hex
    publish("booking.confirmed", booking_data(booking_id))
    assert wait_for(lambda: sorted(r["status"] for r in log_client(booking_id)) == ["sent", "skipped"])
    [sms] = [r for r in log_client(booking_id) if r["channel"] == "sms"]
    assert sms["last_error"] == "SMS is off: SMS_WEBHOOK_URL is not set" and sms["sent_at"] is None


def test_ops_list_and_replay_parked_events_with_one_command(worker, test_env, smtp, parked):
    """A valid event parked earlier (say, while a bug was being fixed) goes out once replayed."""
    import os
    import subprocess
    import sys

    from clinic_common.events import Event
    from clinic_common.messaging.publisher import encode, message_properties

    queue = Topology(worker.amqp_namespace).queue("notifications.events")
    event = Event(type="booking.confirmed", data=booking_data(uuid.uuid4().hex, phone=None))
    connection = pika.BlockingConnection(connection_parameters(worker.amqp_url, 5))
    properties = message_properties(event, {"x-parked-reason": "handler failed: a bug since fixed"})
    connection.channel().basic_publish("", Topology.parking_queue(queue), encode(event), properties=properties)
    connection.close()

    def replay(*args):
        return subprocess.run([sys.executable, "-m", "clinic_common.messaging.replay", queue, *args],
                              env={**os.environ, **test_env}, capture_output=True, text=True, timeout=30)

    listed = replay("--dry-run")
    assert listed.returncode == 0 and "a bug since fixed" in listed.stdout and "listed 1 message" in listed.stdout
    assert not smtp.snapshot()
    assert "replayed 1 message" in replay().stdout
    assert wait_for(lambda: len(smtp.snapshot()) == 1)
    assert parked() == []
