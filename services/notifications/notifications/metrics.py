"""Delivery latency, for benchmarks and ops: from the event (its occurred_at, stamped when the
change was stored) to the notification's sent_at (the channel said yes).

    from notifications.metrics import delivery_latencies_s
    seconds = delivery_latencies_s(db, kind="confirmation")   # db: the notifications database
"""
from __future__ import annotations

from datetime import datetime

from pymongo.database import Database

from notifications.store.notifications import COLLECTION


def delivery_latencies_s(db: Database, kind: str | None = None, event_ids=None) -> list[float]:
    """Seconds per sent notification, sorted; reminders are left out unless asked for (they wait on purpose)."""
    query: dict = {"status": "sent", "kind": kind or {"$ne": "reminder"}}
    if event_ids is not None:
        query["event_id"] = {"$in": list(event_ids)}
    latencies = []
    for doc in db[COLLECTION].find(query, {"occurred_at": 1, "sent_at": 1}):
        occurred = datetime.fromisoformat(doc["occurred_at"])
        latencies.append((doc["sent_at"] - occurred).total_seconds())
    return sorted(latencies)


def percentile(sorted_values: list[float], share: float) -> float:
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(share * len(sorted_values)))]
