"""Patients, as the booking page behaves: POST /bookings with an Idempotency-Key, and on anything that is not a
definite answer (a timeout, a cut connection, 5xx, 429) the same request again with the same key, until one comes.

Slots are free ones of a synthetic practice written into the stack's own locations database (as the bench does),
found through GET /availability; each booking gets a patient address of its own, so its emails can be told apart.
"""
from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

import requests
from pymongo import MongoClient

from bench.dates import first_bookable_monday, span

RETRY_STATUSES = {429, 500, 502, 503, 504}
ATTEMPT_TIMEOUT = (3.0, 15.0)  # connect, read: a hung stack costs an attempt, never the scenario
GIVE_UP_S = 90.0  # a booking still without an answer this long after its first try is reported as such
BUDGET_S = 150.0  # no scenario's load starts a booking later than this


@dataclass
class Booked:
    body: dict
    key: str
    status: int | str | None = None  # the definite answer, or the last failure when we gave up
    attempts: int = 0
    booking: dict | None = None
    answered_at: float = 0.0


@dataclass
class Outcomes:
    done: list[Booked] = field(default_factory=list)
    unsent: int = 0

    @property
    def accepted(self) -> list[Booked]:
        return [b for b in self.done if b.status == 201]

    def statuses(self) -> Counter:
        return Counter(b.status for b in self.done)


def free_slots(stack, providers: int = 10, days: int = 14) -> list[dict]:
    from bench.synthetic import LOCATION_ID, SERVICE_ID, build_practice

    client = MongoClient(stack.direct_mongo_url, tz_aware=True, serverSelectionTimeoutMS=5000)
    try:
        if client[f"{stack.prefix}_locations"]["locations"].find_one({"_id": LOCATION_ID}) is None:
            build_practice(client[f"{stack.prefix}_locations"], providers)
    finally:
        client.close()
    first, last = span(first_bookable_monday(), days)
    response = requests.get(stack.gateway + "/api/v1/availability", timeout=60, params={
        "service_id": SERVICE_ID, "location_id": LOCATION_ID, "from": first, "to": last})
    assert response.status_code == 200, (response.status_code, response.text[:300])
    return response.json()["slots"]


def body_for(slot: dict, service_id: str | None = None, label: str = "p") -> dict:
    from bench.synthetic import SERVICE_ID

    address = f"{label}-{uuid.uuid4().hex[:10]}@prove.example"
    return {"service_id": service_id or SERVICE_ID, "provider_id": slot["provider_id"],
            "location_id": slot["location_id"], "start": slot["start"],
            "patient": {"name": "Prove Patient", "email": address, "phone": "+15555550123", "language": "en",
                        "state": "AR"}}


def book(session: requests.Session, gateway: str, body: dict, give_up_s: float = GIVE_UP_S,
         timeout: tuple[float, float] = ATTEMPT_TIMEOUT) -> Booked:
    booked, deadline, pause = Booked(body, str(uuid.uuid4())), time.monotonic() + give_up_s, 0.2
    while True:
        booked.attempts += 1
        try:
            response = session.post(gateway + "/api/v1/bookings", json=body, timeout=timeout,
                                    headers={"Idempotency-Key": booked.key})
            booked.status = response.status_code
        except requests.RequestException as exc:
            booked.status, response = type(exc).__name__, None
        if response is not None and response.status_code not in RETRY_STATUSES:
            booked.answered_at = time.monotonic()
            if response.status_code == 201:
                booked.booking = response.json()
            return booked
        if time.monotonic() > deadline:
            booked.status = f"gave up ({booked.status})"
            return booked
        time.sleep(pause)
        pause = min(pause * 2, 2.0)


def book_all(stack, bodies: list[dict], clients: int = 4, pace_per_s: float | None = None,
             outcomes: Outcomes | None = None, give_up_s: float = GIVE_UP_S, budget_s: float = BUDGET_S,
             timeout: tuple[float, float] = ATTEMPT_TIMEOUT) -> Outcomes:
    """Every body booked by `clients` threads into `outcomes` (watchable meanwhile); body n is not sent before
    n / pace_per_s seconds in. Past budget_s no new booking starts (a stalled stack must not stall the suite):
    `outcomes.unsent` counts them."""
    todo, lock, began = list(enumerate(bodies)), threading.Lock(), time.monotonic()
    outcomes = outcomes if outcomes is not None else Outcomes()

    def client() -> None:
        with requests.Session() as session:
            while True:
                with lock:
                    if time.monotonic() - began > budget_s:
                        outcomes.unsent += len(todo)
                        todo.clear()
                    if not todo:
                        return
                    n, body = todo.pop(0)
                if pace_per_s:
                    time.sleep(max(0.0, began + n / pace_per_s - time.monotonic()))
                result = book(session, stack.gateway, body, give_up_s, timeout)
                with lock:
                    outcomes.done.append(result)

    threads = [threading.Thread(target=client, name=f"prove-client-{n}") for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def in_background(work) -> tuple[threading.Thread, list]:
    """Run work() on a thread; its return value lands in the list."""
    box: list = []
    thread = threading.Thread(target=lambda: box.append(work()), name="prove-load")
    thread.start()
    return thread, box
