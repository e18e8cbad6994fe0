"""The one publish path: persistent JSON, publisher confirms, mandatory routing, reconnect on next use."""
from __future__ import annotations

import json
import logging

import pika
from pika.exceptions import AMQPError

from clinic_common.config import redact_url
from clinic_common.events import Event
from clinic_common.messaging.topology import Topology, connection_parameters

log = logging.getLogger(__name__)


class PublishFailed(RuntimeError):
    """The broker did not take the message; the caller keeps it and tries again later."""


def message_properties(event: Event, headers: dict | None = None) -> pika.BasicProperties:
    return pika.BasicProperties(
        content_type="application/json",
        delivery_mode=pika.DeliveryMode.Persistent,
        message_id=event.id,
        type=event.type,
        headers={"request_id": event.request_id, **(headers or {})},
    )


def encode(event: Event) -> bytes:
    return json.dumps(event.envelope(), separators=(",", ":")).encode()


class Publisher:
    """Owns one connection; not thread-safe by design (pika connections never cross threads)."""

    def __init__(self, amqp_url: str, timeout_s: float = 3.0, topology: Topology = Topology()):
        self._url = amqp_url
        self._topology = topology
        self._timeout = timeout_s
        self._connection = None
        self._channel = None

    def publish(self, event: Event) -> None:
        """Return only once the broker has confirmed the message; raise PublishFailed otherwise."""
        try:
            channel = self._ensure_channel()
            channel.basic_publish(self._topology.exchange, event.type, encode(event),
                                  properties=message_properties(event), mandatory=True)
        except (AMQPError, OSError) as exc:
            self.close()
            raise PublishFailed(f"{type(exc).__name__} publishing {event.type} {event.id}") from exc

    def _ensure_channel(self):
        if self._channel is None or self._channel.is_closed:
            self.close()
            try:
                self._connection = pika.BlockingConnection(connection_parameters(self._url, self._timeout))
            except (AMQPError, OSError) as exc:
                raise PublishFailed(f"broker unreachable at {redact_url(self._url)}") from exc
            self._channel = self._connection.channel()
            self._channel.confirm_delivery()
            self._topology.declare_exchanges(self._channel)
        return self._channel

    @property
    def connected(self) -> bool:
        return self._connection is not None and self._connection.is_open

    def close(self) -> None:
        connection, self._connection, self._channel = self._connection, None, None
        if connection is not None and connection.is_open:
            try:
                connection.close()
            except Exception:  # closing a half-dead connection is best effort
                pass
