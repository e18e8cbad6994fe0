"""Figure 5 (issue 4): bookings per second through the gateway ÷ raw pymongo insert_one per second.

Same datastore, same run, 8 concurrent clients each. As the emulator's writes slow down with
collection size (rawinsert.py), the raw rate compared is the one over the same collection sizes the
bookings collection went through in the measured window, taken once the stack is quiet again
(the relay has published every booking's event), as the median of a few fresh collections.
Bookings go to distinct free slots of a synthetic 50-provider practice written into the stack's
own throw-away locations database, so 201 is expected throughout; 409 and others are counted.
"""
from __future__ import annotations

import threading
import time
from collections import deque

from pymongo import MongoClient

from bench import cpu, rawinsert
from bench.dates import first_bookable_monday, span
from bench.load import closed_loop, only_local
from bench.report import Figure

CLIENTS, WARMUP_S, PROVIDERS, DRAIN_S, RAW_REPEATS = 8, 1.0, 50, 60.0, 5
PATIENT = {"name": "Bench Patient", "email": "bench@example.com", "phone": "+15555550123",
           "language": "en", "state": "AR"}


def measure(stack, seconds: float) -> list[Figure]:
    slots = deque(free_slots(stack, PROVIDERS, 31))
    offered = len(slots)
    cpu_before = cpu.snapshot(stack.marker)
    booked = _bookings(stack, slots, seconds)
    cpu_spent = cpu.busiest(cpu_before, cpu.snapshot(stack.marker))
    stored, drained_s = _stored_and_drained(stack)
    low = max(stored - booked.count(201), 0)  # what warm-up (and stragglers) left in the collection
    raw = rawinsert.matched_rate(stack.mongo_url, f"{stack.prefix}_benchraw", low, stored, RAW_REPEATS, seconds)
    rate = booked.count(201) / seconds
    how = (f"{rate:.1f} bookings/s / {raw['rate'] or 0:.0f} inserts/s; POST /api/v1/bookings through the gateway, "
           f"{CLIENTS} clients, {seconds:g} s after {WARMUP_S:g} s warm-up, distinct free slots of a {PROVIDERS}-"
           f"provider synthetic practice ({offered} offered, {len(slots)} left); {_statuses(booked)}; outbox "
           f"drained {_drain_text(drained_s)}; {_raw_text(raw, low, stored)}; CPU during the {seconds + WARMUP_S:g} s "
           f"of load: {cpu_spent}")
    if not slots:
        how += "; RAN OUT OF SLOTS: the rate is a lower bound"
    value = rate / raw["rate"] if raw["rate"] else None
    return [Figure("booking", "booking throughput ratio", value, how, op=">=", target=0.3)]


def _statuses(booked) -> str:
    other = {s: n for s, n in booked.statuses.items() if s not in (201, 409)}
    return f"201: {booked.count(201)}, 409: {booked.count(409)}, other: {other or 0}"


def _raw_text(raw: dict, low: int, high: int) -> str:
    rates = ", ".join(f"{r:.0f}" for r in raw["rates"]) or "none reached"
    return (f"raw: insert_one of 3-field documents, {CLIENTS} threads on one MongoClient, after the drain, median "
            f"of {len(raw['rates'])}/{RAW_REPEATS} fresh collections over the growth the bookings collection went "
            f"through in the window ({low}->{high} documents; {rates}/s), {raw['errors']} errors")


def free_slots(stack, providers: int, days: int) -> list[dict]:
    """Free slots of a synthetic practice of `providers` in the stack's own locations database, over
    `days`, found as a patient would: GET /availability through the gateway. Shared with bench/notify.py."""
    import requests

    from locations.synthetic import LOCATION_ID, SERVICE_ID, build_practice

    client = MongoClient(stack.mongo_url, tz_aware=True, serverSelectionTimeoutMS=5000)
    try:
        build_practice(client[f"{stack.prefix}_locations"], providers)
    finally:
        client.close()
    first, last = span(first_bookable_monday(), days)
    response = requests.get(only_local(stack.url("gateway")) + "/api/v1/availability", timeout=60, params={
        "service_id": SERVICE_ID, "location_id": LOCATION_ID, "from": first, "to": last})
    assert response.status_code == 200, (response.status_code, response.text[:300])
    return response.json()["slots"]


def _bookings(stack, slots: deque, seconds: float):
    from locations.synthetic import SERVICE_ID

    url = only_local(stack.url("gateway")) + "/api/v1/bookings"
    lock = threading.Lock()

    def book(session, _n):
        with lock:
            if not slots:
                return None  # nothing left to book: this client stops
            slot = slots.popleft()
        body = {"service_id": SERVICE_ID, "provider_id": slot["provider_id"], "location_id": slot["location_id"],
                "start": slot["start"], "patient": dict(PATIENT)}
        return session.post(url, json=body, timeout=(2, 30)).status_code

    return closed_loop(CLIENTS, seconds, book, warmup_s=WARMUP_S)


def _stored_and_drained(stack) -> tuple[int, float | None]:
    """How many bookings are stored, and how long until the relay had published all their events.

    Waiting for the drain also keeps this figure's event traffic out of the figures that follow.
    """
    client = MongoClient(stack.mongo_url, serverSelectionTimeoutMS=5000)
    bookings = client[f"{stack.prefix}_bookings"]["bookings"]
    try:
        stored, began = bookings.count_documents({}), time.monotonic()
        while time.monotonic() - began < DRAIN_S:
            if bookings.count_documents({"outbox.id": {"$exists": True}}) == 0:
                return stored, time.monotonic() - began
            time.sleep(0.2)
        return stored, None
    finally:
        client.close()


def _drain_text(drained_s: float | None) -> str:
    return f"{drained_s:.1f} s after the load" if drained_s is not None else f"NOT within {DRAIN_S:.0f} s"
