"""Bookings accepted while RabbitMQ is away reach the exchange when it returns, each exactly once."""
import pytest

from clinic_common.messaging.outbox import OutboxRelay
from clinic_common.messaging.publisher import PublishFailed, Publisher
from clinic_common.messaging.topology import Topology

DEAD_BROKER = "amqp://guest:guest@127.0.0.1:1/%2F"


def test_bookings_made_during_an_outage_are_published_once_each_afterwards(settings, client, db, book, event_tap):
    tap = event_tap("booking.*")
    booked = [book(start=f"2026-12-07T{hour:02d}:00:00-06:00")["id"] for hour in (9, 10, 11)]

    down = Publisher(DEAD_BROKER, 1.0, Topology(settings.amqp_namespace))
    with pytest.raises(PublishFailed):
        OutboxRelay([db.bookings], down).relay_once()
    down.close()
    assert db.bookings.count_documents({"outbox.id": {"$exists": True}}) == 3

    up = Publisher(settings.amqp_url, 3.0, Topology(settings.amqp_namespace))
    relay = OutboxRelay([db.bookings], up)
    assert relay.relay_once() == 3
    assert relay.relay_once() == 0
    up.close()

    published = [body["data"]["id"] for _, body in tap.drain(3)]
    assert sorted(published) == sorted(booked)
