"""The datastore's own write rate: pymongo insert_one of small documents, 8 threads on one client.

The emulator's insert gets slower as its collection grows (mongoeco's memory engine does work in
proportion to the collection on every write: ~850/s into an empty collection, ~200/s at 1,200
documents, in one probe). So a rate only compares with another taken over the same collection
sizes: every insert's completion time is kept, and rate_between() answers for any size range.
"""
from __future__ import annotations

import statistics
import threading
import time
from datetime import datetime, timezone

from pymongo import MongoClient
from pymongo.errors import PyMongoError

THREADS = 8


class RawInserts:
    def __init__(self, completions: list[float], errors: int):
        self.completions, self.errors = sorted(completions), errors

    @property
    def count(self) -> int:
        return len(self.completions)

    def rate_between(self, low: int, high: int) -> float | None:
        """Inserts per second while the collection grew from `low` to `high` documents; None if never reached."""
        if high > self.count or high <= low:
            return None
        began = self.completions[low - 1] if low else 0.0
        return (high - low) / (self.completions[high - 1] - began)


def run(client: MongoClient, collection_name: str, db_name: str, limit: int, budget_s: float) -> RawInserts:
    """Into a fresh collection until it holds `limit` documents or the budget is spent."""
    collection = client[db_name][collection_name]
    completions, errors, lock = [], [0], threading.Lock()
    start = time.perf_counter()
    end = start + budget_s

    def insert(n: int) -> None:
        while time.perf_counter() < end and len(completions) < limit:
            try:
                collection.insert_one({"thread": n, "at": datetime.now(timezone.utc), "kind": "bench"})
                completions.append(time.perf_counter() - start)  # list.append is atomic
            except PyMongoError:
                with lock:
                    errors[0] += 1

    threads = [threading.Thread(target=insert, args=(n,), name=f"bench-insert-{n}") for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return RawInserts(completions, errors[0])


def matched_rate(mongo_url: str, db_name: str, low: int, high: int, repeats: int, budget_s: float) -> dict:
    """Median insert rate over the growth low -> high, from `repeats` fresh collections of budget_s each at most."""
    client = MongoClient(mongo_url, serverSelectionTimeoutMS=5000, maxPoolSize=THREADS)
    try:
        client.admin.command("ping")  # connect outside the clock
        runs = [run(client, f"inserts{k}", db_name, high, budget_s) for k in range(repeats)]
    finally:
        client.close()
    rates = [r for r in (run_.rate_between(low, high) for run_ in runs) if r is not None]
    return {"rate": statistics.median(rates) if rates else None, "rates": rates,
            "errors": sum(run_.errors for run_ in runs), "repeats": repeats}
