"""Datastore operations per booking, end to end (issue 9): every command the whole stack sends its datastore
for one booking, from POST /bookings at the gateway to its confirmation settled as sent at an SMTP sink.

The figure's own stack talks to its datastore through a counting proxy (bench/wireproxy.py, bench/wire.py),
so each command is seen with its collection. The window opens at the batch's first POST and closes once
every confirmation is stored as sent, the outboxes of bookings and notifications are empty and the stack
is quiet again; an idle window of the same length follows, and what the stack does on its own (relays
polling, heartbeats, reminder checks) is subtracted key by key. Operations count as serverStatus
opcounters do (one per document inserted, per update or delete statement, per other command); round
trips (commands) are printed beside them.
"""
from __future__ import annotations

import time

from pymongo import MongoClient

from bench.load import closed_loop
from bench.ownstack import own_stack
from bench.practice import Booker, free_slots, statuses_text
from bench.report import Figure
from bench.wire import Tally

BATCH, WARMUP, CLIENTS, PROVIDERS, DAYS = 50, 10, 4, 10, 14
SETTLE_LIMIT_S, LOAD_LIMIT_S, SHOWN_FROM = 60.0, 120.0, 0.05  # rows below SHOWN_FROM per booking are noise
TARGET = 12.0


def measure(_shared_stack, _seconds: float) -> list[Figure]:
    with own_stack(counted=True) as own:
        figures = _measure(own)
        figures[-1].how += f"; {own.cpu_note()}"
        return figures


def _measure(own) -> list[Figure]:
    slots = free_slots(own.stack, PROVIDERS, DAYS)
    _book_and_settle(own, slots[:WARMUP], CLIENTS)  # first-use costs in every process: connections, indexes, SMTP
    _wait_catalogue_announced(own.stack)  # the synthetic practice's own events are not the batch's
    quiet = own.settle()
    before, began = own.proxy.counts(), time.monotonic()
    booker, settled = _book_and_settle(own, slots[WARMUP:WARMUP + BATCH], CLIENTS)
    quiet_after = own.settle()
    batch, window_s = own.proxy.counts().minus(before), time.monotonic() - began
    idle_before = own.proxy.counts()
    time.sleep(window_s)
    idle = own.proxy.counts().minus(idle_before)
    booked = len(booker.booked)
    rows = per_booking_rows(batch.minus(idle), booked, own.stack.prefix)
    operations, round_trips = (sum(row[i] for row in rows) for i in (2, 3))
    how = (f"{operations:.1f} operations in {round_trips:.1f} round trips per booking, net of the idle background; "
           f"{booked} POST /api/v1/bookings through the gateway ({statuses_text(booker.statuses)}), {CLIENTS} "
           f"clients, distinct free slots of a {PROVIDERS}-provider synthetic practice, after {WARMUP} warm-up "
           f"bookings; {settled}; every command the stack sent through a counting wire-protocol proxy in front of "
           f"the emulator over the {window_s:.1f} s from the first POST until that and quiet again ({quiet_after}): "
           f"{_total(batch)}, minus an idle window of the same length right after: {_total(idle)}; the figure's "
           f"own isolated stack, SMTP at the sink, SMS off, quiet before the batch ({quiet})")
    value = operations if booked else None
    return [*_detail_lines(rows, booked),
            Figure("ops", "datastore operations per booking", value, how, op="<=", target=TARGET)]


def _book_and_settle(own, slots: list[dict], clients: int):
    booker = Booker(own.stack, slots)
    closed_loop(clients, LOAD_LIMIT_S, booker.book)  # until every slot is booked (or the limit: said in the line)
    return booker, _wait_settled(own.stack, booker.booked)


def _wait_catalogue_announced(stack) -> None:
    """Until the relay has published every event of the practice written for this figure (its providers,
    location, visit type), so neither their publishing nor bookings' handling of them lands in the window."""
    from locations.config import OUTBOX_COLLECTIONS

    client = MongoClient(stack.mongo_url, serverSelectionTimeoutMS=5000)  # straight to the datastore: not counted
    db, began = client[f"{stack.prefix}_locations"], time.monotonic()
    try:
        while time.monotonic() - began < SETTLE_LIMIT_S and any(
                db[name].count_documents({"outbox.id": {"$exists": True}}) for name in OUTBOX_COLLECTIONS):
            time.sleep(0.2)
    finally:
        client.close()
    time.sleep(1.0)  # and for the bookings worker to handle what was just published


def _wait_settled(stack, booking_ids: list[str]) -> str:
    """Until every confirmation is stored as sent and no event waits in an outbox; what it came to, in words."""
    client = MongoClient(stack.mongo_url, serverSelectionTimeoutMS=5000)  # straight to the datastore: not counted
    notes = client[f"{stack.prefix}_notifications"]["notifications"]
    outboxes = (notes, client[f"{stack.prefix}_bookings"]["bookings"])
    began = time.monotonic()
    try:
        while True:
            sent = notes.count_documents({"booking_id": {"$in": booking_ids}, "kind": "confirmation",
                                          "status": "sent"})
            waiting = sum(c.count_documents({"outbox.id": {"$exists": True}}) for c in outboxes)
            if (sent >= len(booking_ids) and not waiting) or time.monotonic() - began > SETTLE_LIMIT_S:
                break
            time.sleep(0.2)
    finally:
        client.close()
    late = "" if sent >= len(booking_ids) and not waiting else f" NOT ALL within {SETTLE_LIMIT_S:.0f} s,"
    return f"{sent}/{len(booking_ids)} confirmations stored as sent,{late} {waiting} outboxes left"


def per_booking_rows(net: Tally, bookings: int, prefix: str) -> list[tuple[str, str, float, float]]:
    """(namespace without the stack's prefix, command, operations, round trips), each per booking, largest
    first; every key is kept (the total must add up), the printing leaves out the negligible ones."""
    if not bookings:
        return []
    rows = [(short_namespace(ns, prefix), name, net.statements[(ns, name)] / bookings,
             net.commands[(ns, name)] / bookings) for ns, name in net.commands]
    return sorted(rows, key=lambda row: (-row[2], row[0], row[1]))


def short_namespace(namespace: str, prefix: str) -> str:
    """'bench1a2b_bookings.ledger' -> 'bookings.ledger': the prefix only isolates this run."""
    return namespace.removeprefix(f"{prefix}_")


def _detail_lines(rows, booked: int) -> list[Figure]:
    return [Figure("ops", f"  per booking: {ns} {name}", ops, f"{trips:.2f} round trips; net over {booked} bookings",
                   detail=True) for ns, name, ops, trips in rows if abs(ops) >= SHOWN_FROM or abs(trips) >= SHOWN_FROM]


def _total(tally: Tally) -> str:
    return f"{sum(tally.statements.values())} operations in {sum(tally.commands.values())} commands"
