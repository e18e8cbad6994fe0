"""60 patients at once for one provider's 09:00-10:00, across three visit lengths that all overlap 09:30-09:50:
40 x the 50-minute visit at 09:00, 10 x a 30-minute one at 09:30, 10 x an 80-minute one at 09:30. Exactly one may
win; everyone else must hear 409."""
from __future__ import annotations

import threading
import time

import requests

from bench.synthetic import LOCATION_ID, SERVICE_ID
from prove import recovery
from prove.clients import book, body_for, free_slots
from prove.scenarios.common import Observed, wait_until

PROVIDER = "synthetic-000"
EXTRA = ({"id": "prove-brief", "name": "Brief check-in", "duration_minutes": 30, "buffer_minutes": 0},
         {"id": "prove-long", "name": "Long session", "duration_minutes": 80, "buffer_minutes": 10})
CONTENDERS = ((SERVICE_ID, "T09:00", 40), ("prove-brief", "T09:30", 10), ("prove-long", "T09:30", 10))


def _offer_more_visit_lengths(stack) -> None:
    staff = stack.staff_headers()
    for service in EXTRA:
        created = requests.post(f"{stack.gateway}/api/v1/services", headers=staff, timeout=15, json={
            **service, "modalities": ["in_person"], "provider_role": "therapist", "requires_confirmation": False})
        assert created.status_code == 201, created.text
    provider = requests.get(f"{stack.gateway}/api/v1/providers/{PROVIDER}", timeout=15).json()
    changed = requests.patch(f"{stack.gateway}/api/v1/providers/{PROVIDER}", headers=staff, timeout=15,
                             json={"service_ids": provider["service_ids"] + [s["id"] for s in EXTRA]})
    assert changed.status_code == 200, changed.text


def _slot(stack, service_id: str, day: str, at: str) -> dict | None:
    response = requests.get(f"{stack.gateway}/api/v1/availability", timeout=30, params={
        "service_id": service_id, "location_id": LOCATION_ID, "provider_id": PROVIDER, "from": day, "to": day})
    return next((s for s in response.json().get("slots", []) if s["start"].startswith(day + at)), None)


def race(stack) -> Observed:
    probe_slot = next(s for s in free_slots(stack) if s["provider_id"] != PROVIDER)
    _offer_more_visit_lengths(stack)
    day = next(s for s in free_slots(stack) if s["provider_id"] == PROVIDER)["start"][:10]
    slots = {}

    def offered() -> bool:  # the new visit types reach bookings' cache through a service.updated event
        slots.update({s: _slot(stack, s, day, at) for s, at, _n in CONTENDERS})
        return all(slots.values())

    if not wait_until(offered, 30, 1.0):
        missing = [s for s, slot in slots.items() if not slot]
        return Observed([], None, failures=[f"no slot offered for {missing} on {day}"])
    bodies = [body_for(slots[s], service_id=s, label="race") for s, _at, n in CONTENDERS for _ in range(n)]
    gate, results = threading.Barrier(len(bodies)), []

    def contender(body):
        with requests.Session() as session:
            gate.wait()
            results.append(book(session, stack.gateway, body))

    threads = [threading.Thread(target=contender, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    recovered, probe, waited = recovery.measure(stack, time.monotonic(), body_for(probe_slot, label="probe"))
    observed = Observed(results + [probe], recovered, waited=waited)
    wins = [b for b in results if b.status == 201]
    others = [b.status for b in results if b.status not in (201, 409)]
    if len(wins) != 1 or others:
        observed.failures.append(f"{len(wins)} winners (want 1); answers other than 409: {others[:5]}")
    return observed
