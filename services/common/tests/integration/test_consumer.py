"""The consumer loop against the real broker and datastore: ack, dedupe, retry, park, replay."""
import io
import threading
import time

import pika
import pytest

from clinic_common.events import Event
from clinic_common.messaging.consumer import ConsumerLoop, ConsumerSpec, PermanentFailure
from clinic_common.messaging.inbox import MongoInbox
from clinic_common.messaging.publisher import Publisher
from clinic_common.messaging.replay import replay
from clinic_common.messaging.topology import Topology, connection_parameters
from testsupport.waiting import wait_for_queue


class Recorder:
    def __init__(self, fail_times=0, permanent=False):
        self.seen, self.fail_times, self.permanent = [], fail_times, permanent
        self.calls = 0

    def __call__(self, event):
        self.calls += 1
        if self.permanent:
            raise PermanentFailure("no such booking")
        if self.calls <= self.fail_times:
            raise RuntimeError("smtp down")
        self.seen.append(event.id)


@pytest.fixture
def run_consumer(settings, mongo_db):
    loops = []

    def start(handler, retries=(0.2, 0.4)):
        spec = ConsumerSpec(worker="test-worker", queue="test.events", routing_keys=("booking.#",),
                            retry_delays_s=retries)
        loop = ConsumerLoop(settings, spec, handler, MongoInbox(mongo_db))
        thread = threading.Thread(target=loop.run, daemon=True)
        thread.start()
        loops.append((loop, thread))
        wait_for_queue(settings, loop.queue)
        return loop

    yield start
    for loop, thread in loops:
        loop.stop.set()
        thread.join(timeout=5)


def _channel(settings):
    return pika.BlockingConnection(connection_parameters(settings.amqp_url, 5)).channel()


def _until(predicate, timeout_s=8.0):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and not predicate():
        time.sleep(0.05)
    return predicate()


def _publish(settings, *events):
    publisher = Publisher(settings.amqp_url, 3.0, Topology(settings.amqp_namespace))
    for event in events:
        publisher.publish(event)
    publisher.close()


def _parked(settings, queue):
    channel = _channel(settings)
    messages = []
    while True:
        method, props, body = channel.basic_get(Topology.parking_queue(queue), auto_ack=False)
        if method is None:
            break
        messages.append((props, body))
    channel.connection.close()  # unacked: back onto the parking queue
    return messages


def test_each_event_is_handled_once_even_when_delivered_twice(settings, run_consumer):
    handler = Recorder()
    run_consumer(handler)
    event = Event(type="booking.confirmed", data={"id": "b1"})
    _publish(settings, event, event)
    assert _until(lambda: len(handler.seen) >= 1)
    time.sleep(0.5)
    assert handler.seen == [event.id]


def test_a_failing_handler_is_retried_with_delays_until_it_succeeds(settings, run_consumer):
    handler = Recorder(fail_times=2)
    run_consumer(handler)
    event = Event(type="booking.confirmed", data={"id": "b1"})
    _publish(settings, event)
    assert _until(lambda: handler.seen == [event.id])
    assert handler.calls == 3


def test_after_the_last_retry_the_event_is_parked_with_its_reason_and_replay_brings_it_back(settings, run_consumer):
    handler = Recorder(fail_times=3)  # two retries configured: the third failure parks it
    loop = run_consumer(handler)
    event = Event(type="booking.confirmed", data={"id": "b1"})
    _publish(settings, event)
    assert _until(lambda: len(_parked(settings, loop.queue)) == 1)
    props, _ = _parked(settings, loop.queue)[0]
    assert props.message_id == event.id and "smtp down" in props.headers["x-parked-reason"]

    channel = _channel(settings)
    channel.confirm_delivery()
    assert replay(channel, loop.queue, limit=None, dry_run=False, out=io.StringIO()) == 1
    channel.connection.close()
    assert _until(lambda: handler.seen == [event.id])


def test_malformed_and_permanently_failing_events_are_parked_without_blocking_the_queue(settings, run_consumer):
    handler = Recorder(permanent=True)
    loop = run_consumer(handler)
    channel = _channel(settings)
    channel.basic_publish(Topology(settings.amqp_namespace).exchange, "booking.confirmed", b"{not json")
    channel.connection.close()
    _publish(settings, Event(type="booking.confirmed", data={"id": "b2"}))
    assert _until(lambda: len(_parked(settings, loop.queue)) == 2)
    reasons = sorted(p.headers["x-parked-reason"] for p, _ in _parked(settings, loop.queue))
    assert reasons[0].startswith("malformed event") and reasons[1].startswith("permanent failure")


def test_an_event_handed_back_as_not_yet_comes_again_without_spending_a_retry(settings, run_consumer):
    """Handed back five times (more than the two retries it has), it is still handled, never parked."""
    from clinic_common.messaging.consumer import NotYet

    class Early(Recorder):
        def __call__(self, event):
            if self.calls < 5:
                self.calls += 1
                raise NotYet("the one before it is still on its way")
            super().__call__(event)

    handler = Early()
    loop = run_consumer(handler, retries=(0.1, 0.1))
    event = Event(type="booking.rescheduled", data={"id": "b1"})
    _publish(settings, event)
    assert _until(lambda: handler.seen == [event.id], timeout_s=15)
    assert _parked(settings, loop.queue) == []
