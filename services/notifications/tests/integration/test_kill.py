"""The fault test: 200 confirmations while the worker process is SIGKILLed and restarted twice
mid-stream. Afterwards every booking has its confirmation, and none was delivered twice.

"Twice" is judged by Message-ID, as mail systems judge it: each notification has its own, and
the one copy a kill can cause (landing between the server's 250 and the stored outcome, see
delivery/sender.py) carries the same one. Raw copies are bounded by one per sender per kill.
"""
import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
from pymongo import MongoClient

from clinic_common.events import Event
from clinic_common.messaging.publisher import Publisher
from clinic_common.messaging.topology import Topology

from notifications.config import QUEUE
from notifications.metrics import delivery_latencies_s, percentile
from testsupport.notifications import booking_data
from testsupport.waiting import wait_for, wait_for_queue

BOOKINGS = 200
SENDERS = 2
KILLS_AT = (40, 120)  # messages at the SMTP server when each SIGKILL lands

pytestmark = pytest.mark.timeout(240)


class WorkerProcess:
    """`python -m notifications.worker`, as ops run it, with the test's environment."""

    def __init__(self, env: dict, log_path):
        self.env, self.log_path, self.proc = env, log_path, None

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "notifications.worker"], env=self.env,
                                         stdout=log, stderr=subprocess.STDOUT)

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def worker_process(test_env, smtp, tmp_path):
    env = {**os.environ, **test_env, **smtp.env(), "SMS_WEBHOOK_URL": "", "NOTIFY_SENDERS": str(SENDERS),
           "NOTIFY_LEASE_S": "3", "SMTP_TIMEOUT_S": "1", "SMS_TIMEOUT_S": "1", "NOTIFY_POLL_S": "0.1",
           "LOG_LEVEL": "WARNING"}
    process = WorkerProcess(env, tmp_path / "worker.log")
    yield process
    process.stop()


@pytest.fixture
def notifications_db(settings):
    client = MongoClient(settings.mongo_url, tz_aware=True)
    yield client[settings.db_name("notifications")]
    client.close()


def publish_confirmations(settings, count: int) -> set[str]:
    publisher = Publisher(settings.amqp_url, 5.0, Topology(settings.amqp_namespace))
    booking_ids = {uuid.uuid4().hex for _ in range(count)}
    try:
        for booking_id in booking_ids:
            publisher.publish(Event(type="booking.confirmed", data=booking_data(booking_id, phone=None)))
    finally:
        publisher.close()
    return booking_ids


def test_200_confirmations_survive_two_sigkills_without_duplicates(settings, smtp, worker_process, notifications_db):
    worker_process.start()
    wait_for_queue(settings, Topology(settings.amqp_namespace).queue(QUEUE))
    booking_ids = publish_confirmations(settings, BOOKINGS)

    for threshold in KILLS_AT:
        assert wait_for(lambda: len(smtp.snapshot()) >= threshold, timeout_s=60), worker_process.log_path.read_text()
        worker_process.kill()
        assert len(unique_ids(smtp)) < BOOKINGS, "the kill should land mid-stream"
        worker_process.start()

    def all_sent():
        return notifications_db.notifications.count_documents({"status": "sent"}) == BOOKINGS

    assert wait_for(all_sent, timeout_s=90), worker_process.log_path.read_text()
    time.sleep(1.0)  # room for a wrong extra copy to arrive
    messages = smtp.snapshot()
    uids = {booking_of(m) for m in messages}
    assert uids == booking_ids, "every booking has its confirmation"
    assert len(unique_ids(smtp)) == BOOKINGS, "one Message-ID per confirmation"
    resent = len(messages) - BOOKINGS
    assert resent <= SENDERS * len(KILLS_AT), f"{resent} copies resent: at most one per sender per kill"
    latencies = delivery_latencies_s(notifications_db, kind="confirmation")
    print(f"\n{len(messages)} messages at the SMTP server for {BOOKINGS} confirmations "
          f"({resent} resent with the same Message-ID after a kill); event to sent: "
          f"p50 {percentile(latencies, 0.5):.2f} s, p95 {percentile(latencies, 0.95):.2f} s (kills included)")


def unique_ids(smtp) -> set:
    return {m["Message-ID"] for m in smtp.snapshot()}


def booking_of(message) -> str:
    from icalendar import Calendar

    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    [event] = Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")
    return str(event["UID"]).removeprefix("booking-").partition("@")[0]
