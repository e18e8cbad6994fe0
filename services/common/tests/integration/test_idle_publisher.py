"""Defect: a publisher connection left idle in a web thread was dropped by the broker (missed
heartbeats); the next publish failed and its event took the relay's slower road, where a later
event overtook it. A connection that died while idle is noticed and replaced before the publish."""
import socket

from clinic_common.events import Event
from clinic_common.messaging import publisher as publisher_module
from clinic_common.messaging.publisher import Publisher
from clinic_common.messaging.topology import Topology


def _drop_under(publisher: Publisher) -> None:
    """What the broker does to a connection whose heartbeats went unanswered: the socket is gone."""
    sock = publisher._connection._impl._transport._sock  # no public handle on the socket: this is a fault injection
    sock.shutdown(socket.SHUT_RDWR)


def test_a_connection_dropped_while_idle_does_not_fail_the_next_publish(settings, event_tap, monkeypatch):
    tap = event_tap("idle.*")
    publisher = Publisher(settings.amqp_url, 3.0, Topology(settings.amqp_namespace))
    publisher.publish(Event(type="idle.first", data={}))
    _drop_under(publisher)
    monkeypatch.setattr(publisher_module, "IDLE_CHECK_S", 0.0)  # as if it had sat idle past the check
    publisher.publish(Event(type="idle.second", data={}))  # no PublishFailed: it reconnected first
    publisher.close()
    assert [body["type"] for _, body in tap.drain(2)] == ["idle.first", "idle.second"]


def test_a_connection_that_dies_between_checks_gets_one_retry_on_a_fresh_one(settings, event_tap):
    tap = event_tap("idle.*")
    publisher = Publisher(settings.amqp_url, 3.0, Topology(settings.amqp_namespace))
    publisher.publish(Event(type="idle.first", data={}))
    _drop_under(publisher)
    publisher.publish(Event(type="idle.second", data={}))
    publisher.close()
    assert [body["type"] for _, body in tap.drain(2)] == ["idle.first", "idle.second"]


def test_the_fast_lane_keeps_its_connection_answering_heartbeats(settings):
    publisher = Publisher(settings.amqp_url, 3.0, Topology(settings.amqp_namespace))
    publisher.publish(Event(type="idle.first", data={}))
    _drop_under(publisher)
    publisher.keep_alive()  # what the lane's thread does while idle: a dead connection is let go at once
    assert not publisher.connected
    publisher.close()
