"""Defect: `clinic.unroutable` had no TTL and no length limit and held 1,887 messages with patient
data after one run. Every catch-all and parking queue is bounded in length and in age."""
import logging

import pika

from clinic_common.events import Event
from clinic_common.messaging.publisher import Publisher
from clinic_common.messaging.topology import Topology, connection_parameters


def _depth(settings, queue: str) -> int:
    connection = pika.BlockingConnection(connection_parameters(settings.amqp_url, 5))
    try:
        return connection.channel().queue_declare(queue, passive=True).method.message_count
    finally:
        connection.close()


def test_unroutable_events_are_kept_only_up_to_the_bound(settings):
    topology = Topology(settings.amqp_namespace, kept_max_length=5)
    publisher = Publisher(settings.amqp_url, 3.0, topology)
    for n in range(8):  # nobody is bound to this key: every one goes to the catch-all
        publisher.publish(Event(type="nobody.listens", data={"n": n}))
    publisher.close()
    assert _depth(settings, topology.unroutable_exchange) == 5


def test_a_parking_queue_is_bounded_too(settings):
    topology = Topology(settings.amqp_namespace, kept_max_length=3)
    connection = pika.BlockingConnection(connection_parameters(settings.amqp_url, 5))
    channel = connection.channel()
    topology.declare_consumer_queues(channel, topology.queue("bounded.q"), ("nobody.*",))
    parked = Topology.parking_queue(topology.queue("bounded.q"))
    for n in range(6):
        channel.basic_publish("", parked, b"{}")
    connection.close()
    assert _depth(settings, parked) == 3


def test_a_queue_declared_earlier_without_bounds_still_works_and_says_so(settings, caplog):
    """RabbitMQ refuses to redeclare a queue with other arguments: an older broker keeps working, and
    the log says how to bound it (a policy, or deleting the queue)."""
    topology = Topology(settings.amqp_namespace)
    connection = pika.BlockingConnection(connection_parameters(settings.amqp_url, 5))
    connection.channel().queue_declare(topology.unroutable_exchange, durable=True,
                                       arguments={"x-expires": 600_000})  # as an older release declared it
    connection.close()
    with caplog.at_level(logging.WARNING):
        publisher = Publisher(settings.amqp_url, 3.0, topology)
        publisher.publish(Event(type="nobody.listens", data={}))
        publisher.close()
    assert "declared earlier without its bounds" in caplog.text
