"""What every long-running worker shares: a stop flag wired to SIGTERM/SIGINT and growing back-off."""
from __future__ import annotations

import signal
import threading


def stop_on_signals() -> threading.Event:
    """A flag set by SIGTERM or SIGINT, so loops finish the message in hand and exit cleanly."""
    stop = threading.Event()

    def _handler(_signum, _frame):
        stop.set()

    signal.signal(signal.SIGTERM, _handler)
    signal.signal(signal.SIGINT, _handler)
    return stop


class Backoff:
    """1 s, 2 s, 4 s … capped: a dead dependency is retried without hammering it or giving up.

    The cap bounds recovery: once the broker or datastore is back, every loop is working again
    within `cap_s` (a reconnect attempt every few seconds costs a dead dependency nothing)."""

    def __init__(self, first_s: float = 1.0, cap_s: float = 5.0):
        self._first, self._cap = first_s, cap_s
        self._next = first_s

    def next(self) -> float:
        delay = self._next
        self._next = min(self._next * 2, self._cap)
        return delay

    def reset(self) -> None:
        self._next = self._first


def datastore_backoff() -> Backoff:
    """The pause between tries while the datastore is away: 0.25 s growing to 1 s, not the broker's 5 s.

    Every datastore call while it is down already waits out server selection (MONGO_TIMEOUT_MS) before
    it fails, so a short pause costs a dead datastore nothing; a long one only leaves work waiting for
    seconds after the datastore is back (events in an outbox, messages in a queue)."""
    return Backoff(0.25, 1.0)
