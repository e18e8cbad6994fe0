"""Load generation: a bounded number of Python threads, one requests.Session each, for a bounded time.

Closed loop (each client sends its next request when the last one answered), so the rate measured
is what the server sustains at that concurrency, not what we chose to offer.
"""
from __future__ import annotations

import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests

MAX_CLIENTS = 32


@dataclass
class Outcome:
    seconds: float
    statuses: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.statuses.values())

    @property
    def rate(self) -> float:
        return self.total / self.seconds if self.seconds else 0.0

    def count(self, status) -> int:
        return self.statuses.get(status, 0)


def only_local(url: str) -> str:
    """The bench never sends load anywhere but this machine."""
    if urlsplit(url).hostname != "127.0.0.1":
        raise ValueError(f"load goes to 127.0.0.1 only, not {url}")
    return url


def closed_loop(clients: int, seconds: float, call, warmup_s: float = 0.0) -> Outcome:
    """Run call(session, client_no) -> status in `clients` threads; count only what ends after warm-up.

    `call` returns None when it has nothing left to do (e.g. no free slot): that client stops.
    """
    assert 0 < clients <= MAX_CLIENTS
    begin = time.monotonic() + warmup_s
    end = begin + seconds
    counts = [Counter() for _ in range(clients)]

    def client(n: int) -> None:
        with requests.Session() as session:
            while time.monotonic() < end:
                try:
                    status = call(session, n)
                except requests.RequestException as exc:
                    status = type(exc).__name__
                if status is None:
                    return
                if begin <= time.monotonic() <= end:  # completions inside the window, over the window
                    counts[n][status] += 1

    threads = [threading.Thread(target=client, args=(n,), name=f"bench-client-{n}") for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Outcome(seconds, sum(counts, Counter()))


def interleaved_latencies(calls: dict, samples: int, budget_s: float) -> dict[str, list[float]]:
    """Up to `samples` sequential timings of each call, taken in alternating order (A B B A A B ...).

    Alternating means a slow spell (a busy neighbour, a datastore hiccup) lands on every call alike,
    instead of on whichever happened to be measured then. Stops early when the budget is spent.
    """
    timings = {name: [] for name in calls}
    names, deadline, turn = list(calls), time.monotonic() + budget_s, 0
    while turn < samples and (turn == 0 or time.monotonic() < deadline):
        for name in (names if turn % 2 == 0 else reversed(names)):
            started = time.perf_counter()
            calls[name]()
            timings[name].append(time.perf_counter() - started)
        turn += 1
    return timings


def p50(timings: list[float]) -> float:
    return statistics.median(timings)
