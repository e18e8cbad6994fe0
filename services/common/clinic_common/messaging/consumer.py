"""The one consumer loop: manual ack after the work is stored, retries with growing delays, then parking."""
from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

import pika
from pymongo.errors import ConnectionFailure

from clinic_common.config import Settings, redact_url
from clinic_common.events import EnvelopeError, Event, parse_envelope
from clinic_common.logs import bind_request_id, log_failure, unbind_request_id
from clinic_common.messaging.topology import BROKER_ERRORS, DEFAULT_RETRY_DELAYS_S, Topology, connection_parameters
from clinic_common.worker import Backoff, datastore_backoff

log = logging.getLogger(__name__)
Handler = Callable[[Event], None]


class PermanentFailure(Exception):
    """The handler can never succeed with this event: park it at once instead of retrying."""


class NotYet(Exception):
    """The event came before one it follows (e.g. a booking's version 2 before its version 1): hand it back
    through the first delay queue without spending a retry. The handler bounds how long it asks for this."""


@dataclass(frozen=True)
class ConsumerSpec:
    worker: str
    queue: str
    routing_keys: tuple[str, ...]
    prefetch: int = 10
    retry_delays_s: tuple[float, ...] = DEFAULT_RETRY_DELAYS_S
    # False for a handler whose writes are keyed by the event id (a repeat rewrites nothing): it then
    # needs no inbox lookup and record, two round trips per event, before and after its work.
    inbox: bool = True


class ConsumerLoop:
    def __init__(self, settings: Settings, spec: ConsumerSpec, handler: Handler, inbox, heartbeat=None,
                 stop: threading.Event | None = None, prepare: Callable[[], object] | None = None,
                 on_close: Callable[[], object] | None = None):
        self._settings, self._spec, self._handler = settings, spec, handler
        self._topology = Topology(settings.amqp_namespace)
        self.queue = self._topology.queue(spec.queue)
        self._prepare = prepare
        self._on_close = on_close
        self._inbox, self._heartbeat = inbox, heartbeat
        self.stop = stop or threading.Event()
        self._infra_backoff = datastore_backoff()

    def run(self) -> None:
        """Consume until stopped, reconnecting with back-off whenever the broker goes away."""
        backoff, was_down, datastore_waits = Backoff(), False, datastore_backoff()
        while not self.stop.is_set():
            try:
                if self._prepare is not None:
                    self._prepare()
                    self._prepare = None
                self._consume(on_connected=backoff.reset)
                was_down = False
            except ConnectionFailure as exc:
                log.error("datastore unreachable at %s (%s); retrying with back-off",
                          redact_url(self._settings.mongo_url), type(exc).__name__)
                self.stop.wait(datastore_waits.next())
            except BROKER_ERRORS as exc:
                if not was_down:
                    log.error("broker unreachable at %s (%s); retrying with back-off",
                              redact_url(self._settings.amqp_url), type(exc).__name__)
                was_down = True
                self._beat(broker_ok=False, force=True)
                self.stop.wait(backoff.next())
            except Exception as exc:  # nothing may end the loop but a stop: log it, back off, go on
                log_failure(log, "consumer loop failed; reconnecting with back-off", exc, queue=self.queue)
                self.stop.wait(backoff.next())
        if self._on_close is not None:
            self._on_close()

    def _consume(self, on_connected) -> None:
        connection = pika.BlockingConnection(connection_parameters(self._settings.amqp_url, self._settings.amqp_timeout_s))
        try:
            channel = connection.channel()
            channel.confirm_delivery()
            self._topology.declare_consumer_queues(channel, self.queue, self._spec.routing_keys, self._spec.retry_delays_s)
            channel.basic_qos(prefetch_count=self._spec.prefetch)
            on_connected()
            log.info("consuming", extra={"queue": self.queue})
            for method, props, body in channel.consume(self.queue, inactivity_timeout=1.0):
                self._beat(broker_ok=True)
                if self.stop.is_set():
                    break
                if method is not None:
                    self._deliver(channel, method, props, body)
        finally:
            if connection.is_open:
                connection.close()

    def _beat(self, broker_ok: bool, force: bool = False) -> None:
        if self._heartbeat is None:
            return
        try:
            self._heartbeat.beat(broker_ok=broker_ok, force=force)
        except ConnectionFailure:
            pass  # the datastore is down; health will say so through its own check

    def _deliver(self, channel, method, props, body: bytes) -> None:
        headers = dict(props.headers or {})
        token = bind_request_id(str(headers.get("request_id") or ""))
        try:
            self._handle(channel, method, props, headers, body)
        finally:
            unbind_request_id(token)

    def _handle(self, channel, method, props, headers, body) -> None:
        try:
            event = parse_envelope(json.loads(body), str(headers.get("request_id") or ""))
        except (ValueError, EnvelopeError) as exc:
            return self._park(channel, method, props, headers, body, f"malformed event: {exc}")
        try:
            if not self._inbox.seen(event.id):
                self._handler(event)
                self._inbox.record(event.id, event.type)
            else:
                log.info("duplicate event skipped", extra={"event_id": event.id, "event_type": event.type})
        except ConnectionFailure as exc:
            # The datastore is away: not the event's fault. Put it back and pause, spending no retry.
            log.error("datastore unavailable while handling %s (%s)", event.id, type(exc).__name__)
            channel.basic_nack(method.delivery_tag, requeue=True)
            self.stop.wait(self._infra_backoff.next())
            return None
        except PermanentFailure as exc:
            return self._park(channel, method, props, headers, body, f"permanent failure: {exc}")
        except NotYet as exc:
            log.info("event handed back until the one before it is handled", extra={"event_id": event.id,
                                                                                     "reason": str(exc)[:200]})
            headers.setdefault("x-original-routing-key", method.routing_key)
            return self._forward(channel, method, props, headers, body, Topology.retry_queue(self.queue, 1))
        except Exception as exc:
            log_failure(log, "handler failed", exc, event_id=event.id, event_type=event.type)
            return self._retry_or_park(channel, method, props, headers, body, f"{type(exc).__name__}: {exc}")
        self._infra_backoff.reset()
        channel.basic_ack(method.delivery_tag)
        return None

    def _retry_or_park(self, channel, method, props, headers, body, reason: str) -> None:
        attempt = int(headers.get("x-attempt", 0)) + 1
        if attempt > len(self._spec.retry_delays_s):
            return self._park(channel, method, props, headers, body, f"gave up after {attempt - 1} retries: {reason}")
        headers.update({"x-attempt": attempt, "x-last-error": reason[:500]})
        headers.setdefault("x-original-routing-key", method.routing_key)
        self._forward(channel, method, props, headers, body, Topology.retry_queue(self.queue, attempt))
        return None

    def _park(self, channel, method, props, headers, body, reason: str) -> None:
        log.error("event parked", extra={"queue": self.queue, "reason": reason[:500]})
        headers.update({"x-parked-reason": reason[:1000], "x-parked-at": datetime.now(timezone.utc).isoformat()})
        headers.setdefault("x-original-routing-key", method.routing_key)
        self._forward(channel, method, props, headers, body, Topology.parking_queue(self.queue))

    @staticmethod
    def _forward(channel, method, props, headers, body, queue: str) -> None:
        """Copy to `queue` with a confirm, then ack the original: at worst a duplicate, never a loss."""
        properties = pika.BasicProperties(
            content_type=props.content_type, delivery_mode=pika.DeliveryMode.Persistent,
            message_id=props.message_id, type=props.type, headers=headers)
        channel.basic_publish("", queue, body, properties=properties, mandatory=True)
        channel.basic_ack(method.delivery_tag)
