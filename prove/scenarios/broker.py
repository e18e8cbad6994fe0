"""Faults of the broker, applied by the proxy in front of RabbitMQ (the real broker is never stopped)."""
from __future__ import annotations

import time

import requests

from prove import recovery
from prove.clients import book, body_for, free_slots
from prove.scenarios.common import Observed, under_fault, wait_until

BOOKINGS = 60  # paced at 2/s: the load spans the whole fault
IMPATIENT = (3.0, 2.0)  # a patient on a poor connection: 2 s without an answer and the same request goes again


def hung_broker(stack) -> Observed:
    """The broker accepts connections and then says nothing for 20 s. Clients give up on an attempt after 2 s and
    retry with the same key, so whatever the hang slows down meets its own retries while still in flight."""
    def fault(progress):
        wait_until(lambda: progress() >= 5, 60)
        stack.broker_proxy.set("hung")
        time.sleep(20)
        stack.broker_proxy.set("up")
    return under_fault(stack, BOOKINGS, "hung", fault, pace_per_s=2, timeout=IMPATIENT)


def broker_down(stack) -> Observed:
    """Every broker connection cut and refused for 30 s."""
    def fault(progress):
        wait_until(lambda: progress() >= 5, 60)
        stack.broker_proxy.set("down")
        time.sleep(30)
        stack.broker_proxy.set("up")
    return under_fault(stack, BOOKINGS, "down", fault, pace_per_s=2)


def broker_flapping(stack) -> Observed:
    """Down 3 s, up 3 s, for 24 s."""
    def fault(progress):
        wait_until(lambda: progress() >= 5, 60)
        stack.broker_proxy.set("flapping", 3)
        time.sleep(24)
        stack.broker_proxy.set("up")
    return under_fault(stack, BOOKINGS, "flap", fault, pace_per_s=2)


IDLE_S, CANCEL_AFTER_S, PATIENTS = 12.0, 0.6, 3  # idle > 2 heartbeats of the stack's AMQP_URL ?heartbeat=5


def cancel_after_idle(stack) -> Observed:
    """Book, stay idle past two AMQP heartbeats, then book and cancel 0.6 s later: the patient's last email must be
    the cancellation, and its .ics SEQUENCE above the confirmation's."""
    slots = free_slots(stack)
    with requests.Session() as session:
        warm = book(session, stack.gateway, body_for(slots[0], label="warm"))
        time.sleep(IDLE_S)
        booked = []
        for slot in slots[1:1 + PATIENTS]:
            booked.append(book(session, stack.gateway, body_for(slot, label="idle")))
            time.sleep(CANCEL_AFTER_S)
            item = booked[-1]
            if item.status == 201:
                session.post(f"{stack.gateway}/api/v1/bookings/{item.booking['id']}/cancel", timeout=15,
                             json={"reason": "prove"}, headers={"X-Manage-Token": item.booking["manage_token"]})
    cancelled = {b.booking["id"] for b in booked if b.status == 201}
    fault_end = time.monotonic()
    recovered, probe, waited = recovery.measure(stack, fault_end, body_for(slots[1 + PATIENTS], label="probe"))
    failures = wait_for_order(stack, [b for b in booked if b.status == 201])
    return Observed([warm, *booked, probe], recovered, cancelled=cancelled, failures=failures, waited=waited)


def wait_for_order(stack, booked, limit_s: float = 60.0) -> list[str]:
    """For each patient, once both emails are in (or limit_s passed): the last is the cancellation, SEQUENCE grows."""
    def inbox(item):
        return [m for m in stack.sink.mails() if m.to == item.body["patient"]["email"].lower()]

    wait_until(lambda: all(len({m.kind for m in inbox(b)}) >= 2 for b in booked), limit_s, 0.5)
    failures = []
    for item in booked:
        mails = inbox(item)
        kinds = [m.kind for m in mails]
        if not mails or kinds[-1] != "cancellation":
            failures.append(f"{item.booking['id']}: emails in order {kinds}, the last is not the cancellation")
        confirm = [m.sequence for m in mails if m.kind == "confirmation"]
        cancel = [m.sequence for m in mails if m.kind == "cancellation"]
        if confirm and cancel and not max(cancel) > max(confirm):
            failures.append(f"{item.booking['id']}: cancel SEQUENCE {max(cancel)} not above confirm {max(confirm)}")
    return failures
