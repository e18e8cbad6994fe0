"""Figure 1 (issue 2): what the gateway hop costs, as gateway throughput ÷ direct-to-service throughput.

Both sides are gunicorn from deploy/gunicorn.conf.py with the same WEB_WORKERS / WEB_THREADS, started
by the supervisor; only the extra hop differs. The two sides alternate in short rounds (direct,
gateway, gateway, direct, ...), so a drift during the run (a growing collection, a busy neighbour)
weighs on both alike.

The route the issue names, GET /bookings/not-a-booking-id, was meant to stay off the datastore, but
bookings writes an audit entry for every read of a booking, found or not (bookings/api/access.py).
Its throughput is then the emulator's write rate on both sides, and its ratio (0.57 to 1.16 in seven
runs) says nothing about the hop. So, checked at run time: while that route writes, the graded
figure is a route that never reaches the datastore (GET /availability without a query: the schema
answers 422 before any view runs), and the named route is measured and printed, not graded.
"""
from __future__ import annotations

from collections import Counter

import requests
from pymongo import MongoClient

from bench.load import closed_loop, only_local
from bench.report import Figure

CLIENTS, WARMUP_S, ROUNDS = 8, 1.0, 4
BRIEFED = ("/api/v1/bookings/not-a-booking-id", 404)
NO_DATASTORE = ("/api/v1/availability", 422)  # no query: the schema answers 422 before any view runs


def measure(stack, seconds: float) -> list[Figure]:
    briefed_writes = _audit_writes_per_request(stack, *BRIEFED)
    fallback = bool(briefed_writes)  # the route is only a hop measure if it stays off the datastore
    named = "gateway hop ratio" + (", issue's route (writes an audit entry)" if fallback else "")
    other = "gateway hop ratio" + ("" if fallback else ", datastore-free route")
    return [_ratio(stack, seconds, *NO_DATASTORE, name=other, graded=fallback),
            _ratio(stack, seconds, *BRIEFED, name=named, graded=not fallback)]


def _ratio(stack, seconds: float, path: str, expected: int, name: str, graded: bool) -> Figure:
    writes = _audit_writes_per_request(stack, path, expected)  # said in the line: what the route costs
    urls = {"direct": only_local(stack.url("bookings") + path), "gateway": only_local(stack.url("gateway") + path)}
    for url in urls.values():
        closed_loop(CLIENTS, WARMUP_S, _getter(url))  # connections and first-request costs, not counted
    statuses = {side: Counter() for side in urls}
    for n in range(ROUNDS):
        for side in (("direct", "gateway") if n % 2 == 0 else ("gateway", "direct")):
            statuses[side] += closed_loop(CLIENTS, seconds / ROUNDS, _getter(urls[side])).statuses
    direct, gateway = (sum(statuses[side].values()) / seconds for side in urls)
    unexpected = {s: n for s, n in (statuses["direct"] + statuses["gateway"]).items() if s != expected}
    workers = stack.env.get("WEB_WORKERS", "2")
    settings = (f"{workers} gevent workers at the gateway, {workers} workers x {stack.env.get('WEB_THREADS', '4')}"
                f" gthreads at bookings")
    how = (f"gateway {gateway:.0f} req/s / direct {direct:.0f} req/s; GET {path} on bookings answering {expected} "
           f"problem+json; {_datastore_note(writes)}; {CLIENTS} clients, {seconds:g} s each side in {ROUNDS} "
           f"alternating rounds after {WARMUP_S:g} s warm-up, gunicorn: {settings}")
    if unexpected:
        how += f"; UNEXPECTED statuses {unexpected}"
    return Figure("hop", name, gateway / direct if direct else None, how, op=">=", target=0.5, graded=graded)


def _getter(url: str):
    return lambda session, _n: session.get(url, timeout=(2, 15)).status_code


def _audit_writes_per_request(stack, path: str, expected: int, probes: int = 20) -> float:
    """Whether the route writes: bookings' audit trail is the one write a read can make."""
    client = MongoClient(stack.mongo_url, serverSelectionTimeoutMS=5000)
    audit = client[f"{stack.prefix}_bookings"]["audit"]
    try:
        before = audit.count_documents({})
        with requests.Session() as session:
            for _ in range(probes):
                status = session.get(stack.url("bookings") + path, timeout=10).status_code
                assert status == expected, f"GET {path} answered {status}, expected {expected}"
        return (audit.count_documents({}) - before) / probes
    finally:
        client.close()


def _datastore_note(writes_per_request: float) -> str:
    if writes_per_request:
        return f"NOT datastore-free: bookings writes {writes_per_request:g} audit entry per request"
    return "no datastore write seen"
