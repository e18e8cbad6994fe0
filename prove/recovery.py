"""Recovery: seconds from the end of a fault until the stack books again, /health answers 200 and the pending
events have drained (nothing left in the bookings outbox, nothing ready in the notifications queue).

The probe is a real booking with the client's usual retries, so it also counts in the scenario's figures.
"""
from __future__ import annotations

import json
import time
from datetime import datetime, timezone

import pika
import requests
from pymongo import MongoClient

from clinic_common.messaging.topology import Topology, connection_parameters
from prove.clients import book
from prove.stack import BROKER_PORT, health

LIMIT_S = 120.0
OUTBOXES = ("bookings", "appointment_requests")
# An event younger than the relay's grace period (OUTBOX_GRACE_S, 2 s by default) is in the fast lane's hands
# by design: under the load that goes on after a fault there is nearly always one in flight. Only what is
# older, the relay's to rescue, is work the stack still owes.
IN_FLIGHT_S = 2.0


def pending_outbox(stack, in_flight_s: float = IN_FLIGHT_S) -> list[str]:
    """Each event pending longer than `in_flight_s`, as "<type> <id> pending <age> s": a slow recovery names
    what it waited for."""
    client = MongoClient(stack.direct_mongo_url, serverSelectionTimeoutMS=3000, tz_aware=True)
    now = datetime.now(timezone.utc)
    try:
        db = client[f"{stack.prefix}_bookings"]
        return [f"{event.get('type')} {doc['_id']} pending {age:.1f} s"
                for name in OUTBOXES for doc in db[name].find({"outbox.id": {"$exists": True}}, {"outbox": 1})
                for event in doc.get("outbox") or []
                if (age := _age_s(event.get("occurred_at"), now)) >= in_flight_s]
    finally:
        client.close()


def _age_s(occurred_at, now: datetime) -> float:
    """Seconds since the event happened; an unreadable time counts as old (it must not hide a stuck event)."""
    try:
        return (now - datetime.fromisoformat(occurred_at)).total_seconds()
    except (TypeError, ValueError):
        return float("inf")


def queued_events(stack, queue: str = "notifications.events") -> int:
    """Ready messages on the stack's queue, asked of the real broker (not through the proxy that may be down)."""
    url = f"amqp://guest:guest@127.0.0.1:{BROKER_PORT}/%2F"
    connection = pika.BlockingConnection(connection_parameters(url, 3.0))
    try:
        declared = connection.channel().queue_declare(Topology(stack.namespace).queue(queue), passive=True)
        return declared.method.message_count
    except pika.exceptions.ChannelClosedByBroker:
        return 0  # not declared (yet): nothing waits in it
    finally:
        if connection.is_open:
            connection.close()


def blockers(stack) -> list[str]:
    """What still stands between the stack and "recovered", in words for the report; [] when nothing does."""
    found = []
    status, body = health(stack)
    if status != 200:
        found.append(f"/health {status}: {_failing(body)}")
    pending = pending_outbox(stack)
    if pending:
        found.append(f"{len(pending)} events pending in the bookings outbox past the relay's grace "
                     f"({'; '.join(pending[:3])})")
    if queued_events(stack):
        found.append(f"{queued_events(stack)} events waiting in notifications.events")
    return found


def _failing(body: str) -> str:
    """The components /health names as not ok, with their detail; the raw start of the body if it is not JSON."""
    try:
        components = json.loads(body).get("components") or {}
    except (ValueError, AttributeError):
        return body[:200]
    return ", ".join(f"{name} ({c.get('detail') or c.get('status')})" for name, c in components.items()
                     if (c or {}).get("status") != "ok")[:400]


def measure(stack, fault_end: float, probe_body: dict, limit_s: float = LIMIT_S):
    """(seconds after fault_end when all three held, or None past limit_s; the probe's Booked; what was last
    waited for, so a slow recovery says why)."""
    deadline, last = fault_end + limit_s, []
    with requests.Session() as session:
        probe = book(session, stack.gateway, probe_body, give_up_s=limit_s)
    if probe.status != 201:
        return None, probe, [f"the probe booking got {probe.status}"]
    while time.monotonic() < deadline:
        waiting = blockers(stack)
        if not waiting:
            return max(time.monotonic(), probe.answered_at) - fault_end, probe, last
        last = waiting
        time.sleep(0.25)
    return None, probe, last
