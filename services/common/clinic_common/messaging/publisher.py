"""The one publish path: persistent JSON, publisher confirms, mandatory routing, reconnect on next use."""
from __future__ import annotations

import json
import logging
import time

import pika

from clinic_common.config import redact_url
from clinic_common.events import Event
from clinic_common.messaging.topology import BROKER_ERRORS, Topology, connection_parameters

log = logging.getLogger(__name__)
# A connection unused this long may have been dropped by the broker (missed heartbeats) without
# our noticing: look at it before trusting it with a message.
IDLE_CHECK_S = 5.0


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
        self._used_at = 0.0

    def publish(self, event: Event) -> None:
        """Return only once the broker has confirmed the message; raise PublishFailed otherwise.

        A connection that had been open before this call gets one retry on a fresh one: it may
        have died quietly while idle. The retry is safe, consumers drop a repeat by event id.
        """
        reused = self._connection is not None and self._check_idle()
        try:
            self._publish_once(event)
        except PublishFailed:
            if not reused:
                raise
            log.info("publisher connection went stale; publishing again on a new one")
            self._publish_once(event)

    def _publish_once(self, event: Event) -> None:
        try:
            channel = self._ensure_channel()
            channel.basic_publish(self._topology.exchange, event.type, encode(event),
                                  properties=message_properties(event), mandatory=True)
            self._used_at = time.monotonic()
        except BROKER_ERRORS as exc:
            self.close()
            raise PublishFailed(f"{type(exc).__name__} publishing {event.type} {event.id}") from exc

    def keep_alive(self) -> None:
        """Let the connection answer heartbeats while idle; a dead one is closed, to reopen on next use."""
        if self._connection is None:
            return
        try:
            self._connection.process_data_events(time_limit=0)
            self._used_at = time.monotonic()
        except BROKER_ERRORS:
            self.close()

    def _check_idle(self) -> bool:
        """Whether an open connection is still usable after sitting idle (it is closed if not)."""
        if time.monotonic() - self._used_at >= IDLE_CHECK_S:
            self.keep_alive()
        return self._connection is not None

    def _ensure_channel(self):
        if self._channel is None or self._channel.is_closed:
            self.close()
            try:
                self._connection = pika.BlockingConnection(connection_parameters(self._url, self._timeout))
            except BROKER_ERRORS as exc:
                raise PublishFailed(f"broker unreachable at {redact_url(self._url)} ({type(exc).__name__})") from exc
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
