"""What was really published: a temporary queue bound to the test's own exchange."""
from __future__ import annotations

import pytest


class EventTap:
    """A temporary queue bound to the test's exchange: what was really published, in order."""

    def __init__(self, settings, routing_key: str = "#"):
        import pika

        from clinic_common.messaging.topology import Topology, connection_parameters

        topology = Topology(settings.amqp_namespace)
        self._connection = pika.BlockingConnection(connection_parameters(settings.amqp_url, 5))
        self._channel = self._connection.channel()
        topology.declare_exchanges(self._channel)
        self.queue = self._channel.queue_declare("", exclusive=True).method.queue
        self._channel.queue_bind(self.queue, topology.exchange, routing_key=routing_key)

    def drain(self, expect: int, timeout_s: float = 10.0) -> list[tuple]:
        """Wait for `expect` messages (then a short grace for extras); returns (properties, body dict)."""
        import json
        import time

        got, deadline = [], time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            method, props, body = self._channel.basic_get(self.queue, auto_ack=True)
            if method is None:
                if len(got) >= expect:
                    self._connection.sleep(0.3)
                    if self._channel.queue_declare(self.queue, passive=True).method.message_count == 0:
                        break
                self._connection.sleep(0.05)
                continue
            got.append((props, json.loads(body)))
        return got

    def close(self):
        if self._connection.is_open:
            self._connection.close()


@pytest.fixture
def event_tap(settings):
    taps = []

    def make(routing_key: str = "#") -> EventTap:
        taps.append(EventTap(settings, routing_key))
        return taps[-1]

    yield make
    for tap in taps:
        tap.close()
