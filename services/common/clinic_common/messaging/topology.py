"""Names and declarations of every exchange and queue, declared idempotently by whoever needs them.

The default namespace gives the contract's names (`clinic.events`, `notifications.events`, …).
A namespace (AMQP_NAMESPACE) prefixes every name and lets idle queues expire: tests and
throw-away stacks share one broker without stealing each other's messages.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import pika
from pika.adapters.utils.connection_workflow import AMQPConnectorException
from pika.exceptions import AMQPError, ChannelClosedByBroker

# Everything pika raises when the broker is away, refuses, or hangs. The connection workflow's
# errors (a handshake that timed out on a broker that accepts TCP and never speaks) are neither
# AMQPError nor OSError: missing them once let a hung broker crash every worker.
BROKER_ERRORS = (AMQPError, AMQPConnectorException, OSError)
log = logging.getLogger(__name__)
DEFAULT_RETRY_DELAYS_S = (1.0, 5.0, 25.0)
TEMPORARY_QUEUE_EXPIRES_MS = 10 * 60 * 1000
# What a catch-all or parking queue keeps: events carry patient details, so nothing lies there
# unread for ever. Past the length the oldest go first; past the age they go unread.
KEPT_MAX_LENGTH = 10_000
KEPT_MAX_AGE_MS = 14 * 24 * 3600 * 1000
PRECONDITION_FAILED = 406


def connection_parameters(amqp_url: str, timeout_s: float) -> pika.URLParameters:
    params = pika.URLParameters(amqp_url)
    # No wait on the broker may outlast AMQP_TIMEOUT_S: pika's own stack timeout (15 s) bounds
    # the whole connect and handshake, and would otherwise hold a request far longer.
    params.socket_timeout = params.stack_timeout = timeout_s
    params.blocked_connection_timeout = timeout_s
    params.connection_attempts, params.retry_delay = 1, 0
    if "heartbeat" not in amqp_url:
        params.heartbeat = 30
    return params


@dataclass(frozen=True)
class Topology:
    namespace: str = ""
    kept_max_length: int = KEPT_MAX_LENGTH
    kept_max_age_ms: int = KEPT_MAX_AGE_MS

    def _name(self, base: str) -> str:
        return f"{self.namespace}.{base}" if self.namespace else base

    @property
    def exchange(self) -> str:
        return self._name("clinic.events")

    @property
    def unroutable_exchange(self) -> str:
        # Events nobody is bound to yet land here instead of vanishing.
        return self._name("clinic.unroutable")

    def queue(self, base: str) -> str:
        return self._name(base)

    @staticmethod
    def retry_queue(queue: str, attempt: int) -> str:
        return f"{queue}.retry.{attempt}"

    @staticmethod
    def parking_queue(queue: str) -> str:
        return f"{queue}.parked"

    def _queue_args(self, extra: dict | None = None) -> dict:
        args = dict(extra or {})
        if self.namespace:
            args["x-expires"] = TEMPORARY_QUEUE_EXPIRES_MS
        return args

    def _kept_args(self) -> dict:
        return self._queue_args({"x-max-length": self.kept_max_length, "x-message-ttl": self.kept_max_age_ms})

    def _declare_kept(self, channel, queue: str) -> None:
        """A bounded catch-all or parking queue. Declared on a channel of its own: RabbitMQ closes the
        channel that asks for other arguments than an existing queue has (one from an older release)."""
        side = channel.connection.channel()
        try:
            side.queue_declare(queue, durable=True, arguments=self._kept_args())
        except ChannelClosedByBroker as exc:
            if exc.reply_code != PRECONDITION_FAILED:
                raise
            log.warning("queue %s was declared earlier without its bounds: bound it with a policy "
                        "(max-length %d, message-ttl %d ms) or delete it once empty", queue,
                        self.kept_max_length, self.kept_max_age_ms)
        finally:
            if side.is_open:
                side.close()

    def declare_exchanges(self, channel) -> None:
        channel.exchange_declare(self.unroutable_exchange, exchange_type="fanout", durable=True,
                                 auto_delete=bool(self.namespace))
        self._declare_kept(channel, self.unroutable_exchange)
        channel.queue_bind(self.unroutable_exchange, self.unroutable_exchange)
        channel.exchange_declare(self.exchange, exchange_type="topic", durable=True,
                                 auto_delete=bool(self.namespace), arguments={"alternate-exchange": self.unroutable_exchange})

    def declare_consumer_queues(self, channel, queue: str, routing_keys, retry_delays_s=DEFAULT_RETRY_DELAYS_S) -> None:
        """A durable queue per consuming service, a delay queue per retry attempt, and a parking queue.

        A retry queue holds a message for its delay, then dead-letters it back to the
        main queue through the default exchange; a rejected message dead-letters to parking.
        """
        self.declare_exchanges(channel)
        self._declare_kept(channel, self.parking_queue(queue))
        channel.queue_declare(queue, durable=True, arguments=self._queue_args({
            "x-dead-letter-exchange": "", "x-dead-letter-routing-key": self.parking_queue(queue)}))
        for key in routing_keys:
            channel.queue_bind(queue, self.exchange, routing_key=key)
        for attempt, delay in enumerate(retry_delays_s, start=1):
            channel.queue_declare(self.retry_queue(queue, attempt), durable=True, arguments=self._queue_args({
                "x-message-ttl": int(delay * 1000),
                "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": queue,
            }))
