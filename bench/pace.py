"""The notification pipeline keeps pace with bookings (issue 9): after a burst of bookings at the stack's
top rate, how long until the last of their confirmations reaches the SMTP server, ÷ the burst's length.

A burst of `seconds` (5 s by default): 8 clients in a closed loop, each POSTing its next booking to a
distinct free slot as soon as the last one answered, so the rate is the most the stack takes. The burst
ends when its last request has answered; its confirmations then still to send are the backlog the
pipeline built up, and this figure is how long it takes to clear, in burst lengths: 0 when every email
keeps pace with its booking. "At the SMTP server" is a stamping sink in this process (its DATA handler,
before it answers 250), on the figure's own stack; emails are matched to bookings by their .ics UID.
"""
from __future__ import annotations

import time

from bench import cpu
from bench.load import closed_loop
from bench.notify_sink import Arrivals, wait_for_emails
from bench.ownstack import own_stack
from bench.practice import Booker, free_slots, statuses_text
from bench.report import Figure

CLIENTS, WARMUP, PROVIDERS, DAYS = 8, 5, 50, 31
STRAGGLERS_S = 90.0  # how long after the burst an email may still arrive
TARGET = 0.5


def measure(_shared_stack, seconds: float) -> list[Figure]:
    with own_stack() as own:
        figure = _measure(own, seconds)
        figure.how += f"; {own.cpu_note()}"
        return [figure]


def _measure(own, seconds: float) -> Figure:
    slots = free_slots(own.stack, PROVIDERS, DAYS)
    arrivals = Arrivals(own.sink)
    warm = Booker(own.stack, slots[:WARMUP])  # connections, SMTP session, first-use costs
    closed_loop(1, STRAGGLERS_S, warm.book)
    wait_for_emails(arrivals, warm.booked, STRAGGLERS_S)
    quiet = own.settle()
    booker = Booker(own.stack, slots[WARMUP:])
    cpu_before, began = cpu.snapshot(own.stack.marker), time.time()
    closed_loop(CLIENTS, seconds, booker.book)
    ended = time.time()
    cpu_spent = cpu.busiest(cpu_before, cpu.snapshot(own.stack.marker))
    first = wait_for_emails(arrivals, booker.booked, STRAGGLERS_S)
    gave_up = time.time()
    burst_s, tail = ended - began, backlog_tail(first, booker.booked, ended, gave_up)
    booked = len(booker.booked)
    how = (f"last confirmation {tail['seconds']:.1f} s after the burst / burst {burst_s:.1f} s; {booked} POST "
           f"/api/v1/bookings through the gateway ({booked / burst_s:.1f}/s; {statuses_text(booker.statuses)}), "
           f"{CLIENTS} clients in a closed loop for {seconds:g} s, distinct free slots of a {PROVIDERS}-provider "
           f"synthetic practice ({booker.slots_left} left), after {WARMUP} warm-up bookings and the bench's wait "
           f"for quiet ({quiet}); {tail['by_end']}/{booked} confirmations at the SMTP sink by the burst's end, "
           f"{tail['arrived']}/{booked} within {STRAGGLERS_S:.0f} s of it ({arrivals.copies} repeat copies, "
           f"{arrivals.unmatched} without a UID); the figure's own stack, SMTP at a stamping sink, SMS off; "
           f"CPU during the burst: {cpu_spent}")
    if tail["arrived"] < booked:
        how += "; NOT EVERY EMAIL ARRIVED: the figure is a lower bound"
    if not booker.slots_left:
        how += "; RAN OUT OF SLOTS: the burst was shorter than the stack could take"
    value = tail["seconds"] / burst_s if booked else None
    return Figure("pace", "notification backlog after a booking burst ÷ burst", value, how, op="<=", target=TARGET)


def backlog_tail(first: dict[str, float], booked: list[str], ended: float, gave_up: float) -> dict:
    """From the burst's end to the last of its confirmations at the sink (0 if all came during the burst);
    to when the bench stopped waiting, if some never came."""
    times = [first[b] for b in booked if b in first]
    last = gave_up if len(times) < len(booked) else max(times, default=ended)
    return {"seconds": max(last - ended, 0.0), "arrived": len(times), "by_end": sum(t <= ended for t in times)}
