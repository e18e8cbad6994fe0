"""Health: each check answers (ok, detail); workers prove they live by heartbeats in their service's database."""
from __future__ import annotations

import os
import socket
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

import pika
from pymongo import DESCENDING
from pymongo.database import Database

from clinic_common.config import redact_url

Check = Callable[[], tuple[bool, str]]


@dataclass
class HealthReport:
    components: dict[str, dict]

    @property
    def ok(self) -> bool:
        return all(c["status"] == "ok" for c in self.components.values())

    def body(self, service: str) -> dict:
        return {"status": "ok" if self.ok else "down", "service": service, "components": self.components}


def run_checks(checks: dict[str, Check]) -> HealthReport:
    components = {}
    for name, check in checks.items():
        try:
            ok, detail = check()
        except Exception as exc:  # a check must never take the health route down with it
            ok, detail = False, f"{type(exc).__name__}: {exc}"
        components[name] = {"status": "ok" if ok else "down", **({"detail": detail} if detail else {})}
    return HealthReport(components)


def mongo_check(lazy_mongo) -> Check:
    def check():
        lazy_mongo.ping()
        return True, ""

    return check


class AmqpProbe:
    """Opens and closes a broker connection, at most once per `cache_s`, so /health stays cheap."""

    def __init__(self, amqp_url: str, timeout_s: float, cache_s: float = 5.0):
        self._url, self._timeout, self._cache_s = amqp_url, timeout_s, cache_s
        self._last: tuple[float, bool, str] | None = None
        self._lock = threading.Lock()

    def __call__(self) -> tuple[bool, str]:
        with self._lock:
            if self._last and time.monotonic() - self._last[0] < self._cache_s:
                return self._last[1], self._last[2]
            ok, detail = self._probe()
            self._last = (time.monotonic(), ok, detail)
            return ok, detail

    def _probe(self) -> tuple[bool, str]:
        params = pika.URLParameters(self._url)
        params.socket_timeout = params.blocked_connection_timeout = self._timeout
        params.connection_attempts, params.retry_delay = 1, 0
        try:
            pika.BlockingConnection(params).close()
            return True, ""
        except Exception as exc:
            return False, f"broker unreachable at {redact_url(self._url)} ({type(exc).__name__})"


HEARTBEATS = "heartbeats"


class Heartbeat:
    """A worker's proof of life: one document per process, refreshed every `every_s`."""

    def __init__(self, db: Database, worker: str, every_s: float):
        self._coll = db[HEARTBEATS]
        self._worker = worker
        self._id = f"{worker}:{socket.gethostname()}:{os.getpid()}"
        self._every_s = every_s
        self._next = 0.0

    def beat(self, broker_ok: bool = True, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now < self._next:
            return
        self._coll.update_one(
            {"_id": self._id},
            {"$set": {"worker": self._worker, "at": datetime.now(timezone.utc), "broker_ok": broker_ok}},
            upsert=True,
        )
        self._next = now + self._every_s


def ensure_heartbeat_indexes(db: Database) -> None:
    db[HEARTBEATS].create_index([("worker", 1), ("at", DESCENDING)])
    db[HEARTBEATS].create_index("at", expireAfterSeconds=86400)


def heartbeat_check(lazy_mongo, worker: str, stale_s: float) -> Check:
    def check():
        doc = lazy_mongo.db[HEARTBEATS].find_one({"worker": worker}, sort=[("at", DESCENDING)])
        if doc is None:
            return False, "no heartbeat yet"
        age = (datetime.now(timezone.utc) - doc["at"]).total_seconds()
        if age > stale_s:
            return False, f"last heartbeat {age:.0f} s ago"
        if not doc.get("broker_ok", True):
            return False, "running, but cannot reach the broker"
        return True, ""

    return check

