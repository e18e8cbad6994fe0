"""A broker that accepts TCP and never speaks AMQP: every publish and consume path fails cleanly.

Before the fix, pika's connection workflow waited its own 15 s stack timeout and raised
AMQPConnectorStackTimeout, which is neither AMQPError nor OSError: it escaped the publisher
and crash-looped every consumer and relay.
"""
import threading

import pytest

from clinic_common.events import Event
from clinic_common.messaging.consumer import ConsumerLoop, ConsumerSpec
from clinic_common.messaging.inbox import NoInbox
from clinic_common.messaging.outbox import OutboxRelay
from clinic_common.messaging.publisher import PublishFailed, Publisher
from clinic_common.messaging.topology import Topology, connection_parameters

TIMEOUT_S = 1.0


def test_every_connection_wait_is_bounded_by_the_amqp_timeout():
    params = connection_parameters("amqp://guest:guest@127.0.0.1:5672/%2F", TIMEOUT_S)
    assert params.stack_timeout == TIMEOUT_S
    assert params.blocked_connection_timeout == TIMEOUT_S
    assert params.socket_timeout == TIMEOUT_S


def test_publishing_to_a_hung_broker_raises_publish_failed(hung_broker):
    publisher = Publisher(hung_broker.amqp_url, TIMEOUT_S, Topology("hung"))
    with pytest.raises(PublishFailed):
        publisher.publish(Event(type="booking.confirmed", data={"id": "b1"}))
    publisher.close()


def _run_briefly(loop_like, seconds: float = TIMEOUT_S * 3.5) -> None:
    """Run a worker loop in this thread until `seconds` pass; anything it raises fails the test."""
    timer = threading.Timer(seconds, loop_like.stop.set)
    timer.start()
    try:
        loop_like.run()
    finally:
        timer.cancel()


def test_a_consumer_keeps_retrying_a_hung_broker(settings):
    from testsupport.faults import HungListener

    hung = HungListener()
    try:
        hung_settings = settings.with_overrides(amqp_url=hung.amqp_url, amqp_timeout_s=TIMEOUT_S)
        loop = ConsumerLoop(hung_settings, ConsumerSpec("w", "hung.q", ("booking.*",)), lambda e: None, NoInbox())
        _run_briefly(loop)
    finally:
        hung.close()


def test_a_relay_keeps_retrying_a_hung_broker(mongo_db, hung_broker):
    mongo_db.docs.insert_one({"_id": "d1", "outbox": [Event(type="booking.confirmed", data={"id": "d1"}).to_outbox()]})
    relay = OutboxRelay([mongo_db.docs], Publisher(hung_broker.amqp_url, TIMEOUT_S, Topology("hung")))
    _run_briefly(relay)
    assert len(mongo_db.docs.find_one({"_id": "d1"})["outbox"]) == 1  # kept for when the broker answers
