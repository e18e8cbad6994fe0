"""What every scenario shares: a load of bookings running while a fault is applied, then the recovery probe."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from prove import recovery
from prove.clients import Booked, Outcomes, body_for, book_all, free_slots, in_background


@dataclass
class Observed:
    """What a scenario saw; the runner turns it into the figures."""
    booked: list[Booked]
    recovery_s: float | None
    cancelled: set[str] = field(default_factory=set)
    failures: list[str] = field(default_factory=list)  # scenario-specific checks that did not hold
    notes: list[str] = field(default_factory=list)
    waited: list[str] = field(default_factory=list)  # what recovery waited for last: why it took as long as it did


def bodies(stack, count: int, label: str) -> list[dict]:
    """count + 1 bookings' bodies: the last is kept for the recovery probe."""
    slots = free_slots(stack)
    assert len(slots) > count, f"only {len(slots)} free slots for {count} bookings"
    return [body_for(slot, label=label) for slot in slots[:count + 1]]


def under_fault(stack, count: int, label: str, fault, clients: int = 4, pace_per_s: float | None = None,
                **booking) -> Observed:
    """Book `count` while fault(progress) runs on this thread; fault returns when the fault has ended, with its
    notes, or (notes, when it ended) for an instant fault such as a SIGKILL that it watches the aftermath of.

    progress() says how many bookings have had their answer so far, so a fault can strike mid-load; `booking`
    goes to clients.book_all (e.g. a shorter timeout).
    """
    todo = bodies(stack, count, label)
    outcomes = Outcomes()
    thread, _ = in_background(lambda: book_all(stack, todo[:-1], clients, pace_per_s, outcomes, **booking))
    try:
        notes = fault(lambda: len(outcomes.done)) or []
    finally:
        fault_end = time.monotonic()
        if isinstance(notes, tuple):
            notes, fault_end = notes
        recovered, probe, waited = recovery.measure(stack, fault_end, todo[-1])
        thread.join()
    observed = Observed(outcomes.done + [probe], recovered, notes=list(notes), waited=waited)
    if outcomes.unsent:
        observed.failures.append(f"{outcomes.unsent} bookings never sent: the stack was still stalled when the "
                                 f"load's time ran out")
    return observed


def wait_until(predicate, limit_s: float, step_s: float = 0.1) -> bool:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step_s)
    return False
