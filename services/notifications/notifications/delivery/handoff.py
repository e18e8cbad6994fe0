"""Record ids this process has just stored as due now, handed to its own senders to claim by id.

Without it a sender learns of new work only by asking the datastore for "the next due record",
and most of those asks come back empty while a stream of bookings trickles in: several wasted
round trips per booking. With it, the consumer (or the reminder firer) passes the ids it stored
and a sender claims exactly those. The datastore stays the authority: a claim by id still only
takes a record that is pending and due, so a redelivered event's ids, or ids another process got
to first, cost one empty claim and nothing else. Nothing here is needed for correctness: the ids
live in memory only, and the senders' periodic poll finds every record whatever happened here
(a full queue, a crash between storing and handing over, records stored by another process).
"""
from __future__ import annotations

import queue

MAX_WAITING = 10_000  # past this the poll finds the rest: memory stays bounded in a burst


class Handoff:
    def __init__(self, limit: int = MAX_WAITING):
        self._ids: queue.Queue[str] = queue.Queue(limit)

    def offer(self, note_ids) -> None:
        for note_id in note_ids:
            try:
                self._ids.put_nowait(note_id)
            except queue.Full:
                return  # the poll finds them

    def take(self, timeout_s: float = 0.0) -> str | None:
        """The next id handed over, waiting up to `timeout_s` for one; None if none came."""
        try:
            return self._ids.get(timeout=timeout_s) if timeout_s > 0 else self._ids.get_nowait()
        except queue.Empty:
            return None

    def waiting(self) -> list[str]:
        """What is handed over and not yet taken (tests and diagnostics)."""
        with self._ids.mutex:
            return list(self._ids.queue)
