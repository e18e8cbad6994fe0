"""Bookings a patient could make: free slots of a synthetic practice, and POSTs of them through the gateway."""
from __future__ import annotations

import threading
from collections import Counter

import requests
from pymongo import MongoClient

from bench.dates import first_bookable_monday, span
from bench.load import only_local

PATIENT = {"name": "Bench Patient", "email": "bench@example.com", "phone": "+15555550123",
           "language": "en", "state": "AR"}


def free_slots(stack, providers: int, days: int) -> list[dict]:
    """Free slots of a synthetic practice of `providers` in the stack's own locations database, over
    `days`, found as a patient would: GET /availability through the gateway."""
    from bench.synthetic import LOCATION_ID, SERVICE_ID, build_practice

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


class Booker:
    """POSTs each slot once, from any number of threads; keeps every answer's status and every 201's booking id
    (load.closed_loop counts only answers inside its window; a figure needs the ones in flight at its end too)."""

    def __init__(self, stack, slots: list[dict]):
        self._url = only_local(stack.url("gateway")) + "/api/v1/bookings"
        self._slots, self._lock = list(reversed(slots)), threading.Lock()
        self.booked: list[str] = []
        self.statuses: Counter = Counter()

    @property
    def slots_left(self) -> int:
        return len(self._slots)

    def book(self, session: requests.Session, _client_no: int = 0):
        """The status of one POST; None when no slot is left (load.closed_loop then stops this client)."""
        from bench.synthetic import SERVICE_ID

        with self._lock:
            if not self._slots:
                return None
            slot = self._slots.pop()
        body = {"service_id": SERVICE_ID, "provider_id": slot["provider_id"], "location_id": slot["location_id"],
                "start": slot["start"], "patient": dict(PATIENT)}
        try:
            response = session.post(self._url, json=body, timeout=(2, 30))
        except requests.RequestException as exc:
            return self._count(type(exc).__name__)
        return self._count(response.status_code, response.json()["id"] if response.status_code == 201 else None)

    def _count(self, status, booking_id: str | None = None):
        with self._lock:
            self.statuses[status] += 1
            if booking_id:
                self.booked.append(booking_id)
        return status


def statuses_text(statuses: dict) -> str:
    other = {s: n for s, n in statuses.items() if s != 201}
    return f"201: {statuses.get(201, 0)}, other: {other or 0}"
