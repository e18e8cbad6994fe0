"""Bad input from the outside: poison events on the exchange, 200 slow clients at the gateway, a 60-way race."""
from __future__ import annotations

import json
import socket
import threading
import time
import uuid

import pika
from clinic_common.messaging.topology import Topology, connection_parameters
from prove import recovery
from prove.clients import body_for, book_all, free_slots
from prove.faults import pids_running
from prove.scenarios.common import Observed, under_fault, wait_until
from prove.stack import BROKER_PORT

REAL_BROKER = f"amqp://guest:guest@127.0.0.1:{BROKER_PORT}/%2F"
WORKERS = ("notifications.worker", "bookings.worker")


def _envelope(kind: str, data) -> bytes:
    return json.dumps({"id": str(uuid.uuid4()), "type": kind, "version": 1, "occurred_at": "2026-12-01T12:00:00Z",
                       "data": data}).encode()


POISON = [  # (routing key, body): each must be parked or dropped, never crash a worker or block real events
    ("booking.confirmed", b"\xff\xfe not json"), ("booking.confirmed", b""), ("booking.cancelled", b"[1, 2, 3]"),
    ("booking.confirmed", b'{"id": "x"}'), ("booking.confirmed", _envelope("booking.confirmed", None)),
    ("booking.confirmed", _envelope("booking.confirmed", {"id": 42, "patient": "nobody"})),
    ("booking.rescheduled", _envelope("booking.rescheduled", {"id": "ghost", "start": "not a time"})),
    ("booking.confirmed", b'{"nested": ' * 500 + b"1" + b"}" * 500),
    ("location.updated", b"not json"), ("location.updated", _envelope("location.updated", [])),
]


def poison_events(stack) -> Observed:
    """Publish malformed and odd events onto the stack's exchange while real bookings flow; they must be parked."""
    pids = {name: pids_running(stack.marker, "-m", name) for name in WORKERS}

    def fault(_progress):
        connection = pika.BlockingConnection(connection_parameters(REAL_BROKER, 5.0))
        try:
            channel = connection.channel()
            for key, body in POISON:
                channel.basic_publish(Topology(stack.namespace).exchange, key, body,
                                      pika.BasicProperties(content_type="application/json", delivery_mode=2))
        finally:
            connection.close()
    observed = under_fault(stack, 20, "poison", fault, pace_per_s=2)
    wait_until(lambda: _parked(stack) >= 8, 45, 1.0)  # handler failures are parked only after their retries
    parked = _parked(stack)
    after = {name: pids_running(stack.marker, "-m", name) for name in WORKERS}
    observed.notes.append(f"{len(POISON)} poison events published; parked on notifications.events.parked: {parked}")
    if parked < 8:
        observed.failures.append(f"only {parked} of the 8 poison booking events are parked")
    if after != pids:
        observed.failures.append(f"workers restarted (crashed?): before {pids}, after {after}")
    return observed


def _parked(stack) -> int:
    connection = pika.BlockingConnection(connection_parameters(REAL_BROKER, 3.0))
    try:
        queue = Topology.parking_queue(Topology(stack.namespace).queue("notifications.events"))
        return connection.channel().queue_declare(queue, passive=True).method.message_count
    except pika.exceptions.ChannelClosedByBroker:
        return 0
    finally:
        if connection.is_open:
            connection.close()


SLOW_CLIENTS, NORMAL = 200, 20


def slow_clients(stack) -> Observed:
    """200 connections that send half a request and dribble one header line every 2 s; meanwhile normal patients
    must be answered on their first try."""
    todo = [body_for(slot, label="slow") for slot in free_slots(stack)[:NORMAL + 1]]
    sockets, stop = [], threading.Event()
    try:
        for _ in range(SLOW_CLIENTS):
            sock = socket.create_connection(("127.0.0.1", int(stack.env["GATEWAY_PORT"])), timeout=5)
            sockets.append(sock)
            sock.sendall(b"POST /api/v1/bookings HTTP/1.1\r\nHost: clinic\r\nContent-Type: application/json\r\n")
        dribble = threading.Thread(target=_dribble, args=(sockets, stop), daemon=True)
        dribble.start()
        # Bounded: against a stalled gateway this would otherwise wait GIVE_UP_S per patient.
        load = book_all(stack, todo[:-1], clients=2, give_up_s=20, budget_s=60)
        stop.set()
        dribble.join()
    finally:
        for sock in sockets:
            sock.close()
    recovered, probe, waited = recovery.measure(stack, time.monotonic(), todo[-1])
    observed = Observed(load.done + [probe], recovered, waited=waited)
    late = [b for b in load.done if b.attempts > 1 or b.status != 201]
    if late or load.unsent:
        example = f" (e.g. {late[0].status} after {late[0].attempts} attempts)" if late else ""
        observed.failures.append(f"{len(late) + load.unsent}/{NORMAL} normal clients were not answered on their "
                                 f"first try{example}; {load.unsent} never sent in the 60 s allowed")
    return observed


def _dribble(sockets, stop) -> None:
    while not stop.wait(2.0):
        for sock in sockets:
            try:
                sock.sendall(b"X-Slow: 1\r\n")
            except OSError:
                pass  # the gateway dropped it: that is allowed
