"""Figure 6: event-to-notification latency, booking accepted -> its confirmation email at the SMTP
server, p50 ÷ (raw broker publish->consume p50 + raw insert_one p50), all taken in the same run.

- "Accepted" is the booking's `created_at`, stamped by the bookings service as it stores the booking
  (returned in the 201); "at the SMTP server" is the moment an SMTP sink in this process has the whole
  message (its DATA handler, before it answers 250). Both are the same machine's wall clock. The
  event leaves with the request (the outbox fast lane), so an email can reach the sink before the
  client reads its 201: the time from the 201 is printed too, but not graded.
- The email is matched to its booking by the UID of its .ics (`booking-<booking id>@<domain>`,
  notifications/domain/calendar.py): the Message-ID hashes the notification id, not the booking id.
- This figure runs its own isolated stack (bench.stack.start with SMTP_HOST / SMTP_PORT of the sink):
  the stack the other figures share is started without mail on purpose (stack.NOT_INHERITED), and
  mail there would add sending work to their loads. SMS stays off, as on that stack.
- Bookings go to distinct free slots of a synthetic practice (as bench/booking.py), sent by a few
  clients on a steady schedule well below what the stack sustains, so the figure is latency, not
  queueing; the first and second halves' p50 are printed to show it did not build up.
- The baseline is the same stack's broker and datastore, measured alternately, one at a time:
  a pika publisher with confirms -> a consumer on a temporary queue bound to the stack's own
  exchange (its AMQP_NAMESPACE), persistent messages to a durable queue as the services use them,
  the send time in the body; and insert_one of a small document into a fresh collection.

Fixed counts, not `seconds`: the issue asks for 200 bookings and 200 of each baseline sample.
"""
from __future__ import annotations

import os
import shutil
import threading
import time
from datetime import datetime

import requests

from bench import cpu
from bench import stack as stacks
from bench.booking import PATIENT, free_slots
from bench.load import only_local
from bench.notify_baseline import BASELINE_WARMUP, baselines
from bench.notify_sink import Arrivals, StampingSink, wait_for_emails
from bench.report import Figure

BOOKINGS, WARMUP_BOOKINGS, CLIENTS, PACE_PER_S = 200, 5, 4, 4.0
PROVIDERS, DAYS = 10, 14  # 10 providers x 10 weekdays x 9 visits: ~900 free slots for 205 bookings
STRAGGLERS_S = 60.0  # how long after the last 201 an email may still arrive
TARGET = 3.0


def percentile(sorted_values: list[float], share: float) -> float:
    """notifications.metrics.percentile, the service's own definition (p50 of 200 = the 101st value)."""
    from notifications.metrics import percentile as service_percentile

    return service_percentile(sorted_values, share)


def measure(stack, seconds: float) -> list[Figure]:
    from clinic_common.devstack.stack import find_repo_root  # as __main__ starts the shared stack

    sink = StampingSink().start()
    try:
        own = stacks.start(find_repo_root(), extra_env=sink.env())
    except BaseException:
        sink.stop()
        raise
    try:
        figure = _measure(own, sink)
        used = sum(cpu_s for _name, cpu_s in cpu.snapshot(own.marker).values())
        figure.how += (f"; this stack's live processes used {used:.0f} CPU-s in all, which the bench's 'other "
                       f"processes' line counts as others")
        return [figure]
    finally:
        code = stacks.stop(own)
        sink.stop()
        if code != 0 or own.leftovers:
            print(f"(notify's own stack stopped with exit code {code}, {len(own.leftovers)} leftover processes "
                  f"killed by pid; its log: {own.log_path})", flush=True)
        else:
            shutil.rmtree(os.path.dirname(own.log_path), ignore_errors=True)


def _measure(own, sink: StampingSink) -> Figure:
    quiet_start = _settle(own)
    slots = free_slots(own, PROVIDERS, DAYS)
    assert len(slots) >= BOOKINGS + WARMUP_BOOKINGS, f"only {len(slots)} free slots"
    arrivals = Arrivals(sink)
    warm = _book(own, slots[:WARMUP_BOOKINGS], clients=1, pace=None)  # connections, SMTP session, first-use costs
    wait_for_emails(arrivals, warm, STRAGGLERS_S)
    quiet_base = _settle(own)
    broker, inserts = baselines(own)
    quiet_load = _settle(own)
    cpu_before = cpu.snapshot(own.marker)
    began = time.perf_counter()
    booked = _book(own, slots[WARMUP_BOOKINGS:WARMUP_BOOKINGS + BOOKINGS], CLIENTS, PACE_PER_S)
    sent_s = time.perf_counter() - began
    cpu_spent = cpu.busiest(cpu_before, cpu.snapshot(own.marker))
    first = wait_for_emails(arrivals, booked, STRAGGLERS_S)

    accepted = {b: times["created"] for b, times in booked["accepted"].items()}
    after_201 = sorted(first[b] - times["at_201"] for b, times in booked["accepted"].items() if b in first)
    latencies = [first[b] - at for b, at in accepted.items() if b in first]
    missing = len(accepted) - len(latencies)
    ordered = sorted(latencies + [float("inf")] * missing)  # a missing email is later than any that came
    p50, p95 = percentile(ordered, 0.5), percentile(ordered, 0.95)
    in_order = [first[b] - at for b, at in sorted(accepted.items(), key=lambda item: item[1]) if b in first]
    halves = [percentile(sorted(half), 0.5) for half in (in_order[:len(in_order) // 2], in_order[len(in_order) // 2:])]
    broker, inserts = sorted(broker), sorted(inserts)
    broker_p50, insert_p50 = percentile(broker, 0.5), percentile(inserts, 0.5)
    baseline = broker_p50 + insert_p50
    value = p50 / baseline if baseline and p50 != float("inf") else None

    how = (f"p50 {_ms(p50)} / baseline {_ms(baseline)} = broker publish->consume p50 {_ms(broker_p50)} + "
           f"insert_one p50 {_ms(insert_p50)}; booking accepted (its created_at) -> its confirmation email at an "
           f"SMTP sink in this process, matched by the .ics UID: p50 {_ms(p50)}, p95 {_ms(p95)}, max {_ms(ordered[-1])}"
           f" (from the client's 201, not graded: p50 {_ms(percentile(after_201, 0.5))}), "
           f"{len(latencies)}/{len(accepted)} emails within {STRAGGLERS_S:.0f} s of the last 201 ({arrivals.copies} "
           f"repeat copies, {arrivals.unmatched} without a UID), p50 first/second half {_ms(halves[0])}/"
           f"{_ms(halves[1])}; {len(accepted)} POST /api/v1/bookings through the gateway ({_statuses(booked)}), "
           f"{CLIENTS} clients paced at {PACE_PER_S:g}/s ({len(accepted) / sent_s:.1f}/s achieved) after "
           f"{WARMUP_BOOKINGS} warm-up bookings, distinct free slots of a {PROVIDERS}-provider synthetic practice; "
           f"baseline on the same stack, alternating, one at a time, after {BASELINE_WARMUP} warm-up each: "
           f"{len(broker)} persistent messages with publisher confirms to a consumer on a temporary durable queue "
           f"bound to the stack's namespaced exchange, {len(inserts)} insert_one of 3-field documents into a fresh "
           f"collection (p95s {_ms(percentile(broker, 0.95))}, {_ms(percentile(inserts, 0.95))}); the figure's own "
           f"isolated stack, SMTP_HOST at the sink, SMS off, the bench's wait for quiet before the practice, the "
           f"baseline and the bookings ({quiet_start}, {quiet_base}, {quiet_load}); CPU during the bookings: "
           f"{cpu_spent}")
    return Figure("notify", "notification latency ratio", value, how, op="<=", target=TARGET)


def _ms(seconds: float) -> str:
    if seconds != seconds:  # nan: nothing to take a percentile of
        return "n/a"
    if seconds == float("inf"):
        return "never"
    return f"{seconds * 1000:.1f} ms" if seconds < 0.01 else f"{seconds * 1000:.0f} ms"


def _statuses(booked: dict) -> str:
    statuses = booked["statuses"]
    other = {s: n for s, n in statuses.items() if s != 201}
    return f"201: {statuses.get(201, 0)}, other: {other or 0}"


def _settle(own) -> str:
    """The bench's wait-for-quiet (cpu.settle, as __main__.wait_quiet), on this figure's own stack."""
    waited, busy = cpu.settle(own.marker)
    return f"NOT quiet within {cpu.QUIET_MAX_S:.0f} s: {busy}" if waited is None else f"{waited:.0f} s"


def _book(own, slots: list[dict], clients: int, pace: float | None) -> dict:
    """POST each slot once; booking n is sent no earlier than n / pace after the start (None: at once).

    {"accepted": {booking id: {"created": its created_at, "at_201": when its 201 was read}} (wall-clock
    seconds), "statuses": {status: count}}.
    """
    from locations.synthetic import SERVICE_ID

    url = only_local(own.url("gateway")) + "/api/v1/bookings"
    todo, lock = list(enumerate(slots)), threading.Lock()
    accepted, statuses = {}, {}
    start = time.perf_counter()

    def client() -> None:
        with requests.Session() as session:
            while True:
                with lock:
                    if not todo:
                        return
                    n, slot = todo.pop(0)
                if pace:
                    time.sleep(max(0.0, start + n / pace - time.perf_counter()))
                body = {"service_id": SERVICE_ID, "provider_id": slot["provider_id"],
                        "location_id": slot["location_id"], "start": slot["start"], "patient": dict(PATIENT)}
                try:
                    response = session.post(url, json=body, timeout=(2, 30))
                    at, status = time.time(), response.status_code
                except requests.RequestException as exc:
                    at, status = None, type(exc).__name__
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1
                    if status == 201:
                        created = datetime.fromisoformat(response.json()["created_at"]).timestamp()
                        accepted[response.json()["id"]] = {"created": created, "at_201": at}

    threads = [threading.Thread(target=client, name=f"bench-notify-{n}") for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"accepted": accepted, "statuses": statuses}
