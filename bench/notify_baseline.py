"""The notification-latency figure's baseline, on the same stack: raw broker publish->consume and raw
insert_one, measured alternately, one at a time."""
from __future__ import annotations

import json
import queue
import threading
import time
import uuid
from datetime import datetime, timezone

from pymongo import MongoClient

BASELINE_SAMPLES, BASELINE_WARMUP = 200, 5
ROUTING_KEY = "bench.latency"  # nothing in the stack binds bench.#


def baselines(own) -> tuple[list[float], list[float]]:
    """BASELINE_SAMPLES seconds each of broker publish->consume and insert_one, alternating (A B B A ...)."""
    from clinic_common.config import load_settings

    settings = load_settings(own.env)
    mongo = MongoClient(own.mongo_url, serverSelectionTimeoutMS=5000)
    collection = mongo[f"{own.prefix}_benchraw"][f"notify_inserts_{uuid.uuid4().hex[:8]}"]
    probe = BrokerProbe(settings.amqp_url, own.env["AMQP_NAMESPACE"])
    try:
        mongo.admin.command("ping")  # connect outside the clock

        def insert() -> float:
            began = time.perf_counter()
            collection.insert_one({"n": 0, "at": datetime.now(timezone.utc), "kind": "bench"})
            return time.perf_counter() - began

        calls = {"broker": probe.round_trip, "insert": insert}
        for _ in range(BASELINE_WARMUP):
            for call in calls.values():
                call()
        timings = {name: [] for name in calls}
        for turn in range(BASELINE_SAMPLES):
            for name in (list(calls) if turn % 2 == 0 else reversed(list(calls))):
                timings[name].append(calls[name]())
        return timings["broker"], timings["insert"]
    finally:
        probe.close()
        mongo.close()


class BrokerProbe:
    """A publisher with confirms and, on its own connection and thread, a consumer of a temporary queue bound to
    the namespace's exchange; round_trip() sends one message and returns when it was consumed."""

    def __init__(self, amqp_url: str, namespace: str, timeout_s: float = 5.0):
        import pika

        from clinic_common.messaging.topology import TEMPORARY_QUEUE_EXPIRES_MS, Topology, connection_parameters

        self._pika, self._timeout = pika, timeout_s
        self._topology = Topology(namespace)
        self._queue = self._topology.queue(f"bench.latency.{uuid.uuid4().hex[:8]}")
        self._params = connection_parameters(amqp_url, timeout_s)
        self._received, self._ready = queue.SimpleQueue(), threading.Event()
        self._consumer = self._consumer_channel = None
        self._failed: BaseException | None = None
        self._thread = threading.Thread(target=self._consume, args=(TEMPORARY_QUEUE_EXPIRES_MS,),
                                        name="bench-notify-consumer", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout_s * 2) or self._failed:
            raise RuntimeError(f"the baseline consumer did not start: {self._failed!r}")
        self._publisher = pika.BlockingConnection(self._params)
        self._channel = self._publisher.channel()
        self._channel.confirm_delivery()
        self._properties = pika.BasicProperties(content_type="application/json",
                                                delivery_mode=pika.DeliveryMode.Persistent)

    def _consume(self, expires_ms: int) -> None:
        try:
            self._consumer = self._pika.BlockingConnection(self._params)
            channel = self._consumer_channel = self._consumer.channel()
            self._topology.declare_exchanges(channel)
            channel.queue_declare(self._queue, durable=True, arguments={"x-expires": expires_ms})
            channel.queue_bind(self._queue, self._topology.exchange, routing_key=ROUTING_KEY)
            channel.basic_qos(prefetch_count=10)

            def on_message(ch, method, _properties, body):
                at = time.perf_counter()
                ch.basic_ack(method.delivery_tag)
                self._received.put((at, body))

            channel.basic_consume(self._queue, on_message)
            self._ready.set()
            channel.start_consuming()
            channel.queue_delete(self._queue)
            self._consumer.close()
        except BaseException as exc:  # reported by the constructor or by round_trip's timeout
            self._failed = exc
            self._ready.set()

    def round_trip(self) -> float:
        token = uuid.uuid4().hex
        sent = time.perf_counter()
        self._channel.basic_publish(self._topology.exchange, ROUTING_KEY, json.dumps({"token": token, "sent": sent}),
                                    properties=self._properties, mandatory=True)
        while True:
            at, body = self._received.get(timeout=self._timeout)
            message = json.loads(body)
            if message["token"] == token:
                return at - message["sent"]

    def close(self) -> None:
        try:
            self._publisher.close()
        except Exception:  # best effort: the stack is about to stop anyway
            pass
        if self._consumer is not None and self._consumer.is_open and self._consumer_channel is not None:
            self._consumer.add_callback_threadsafe(self._consumer_channel.stop_consuming)
        self._thread.join(timeout=self._timeout)
