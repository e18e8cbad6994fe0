"""The fast lane of the outbox: the process that committed a change publishes its events at once.

The relay remains the guarantee: it publishes whatever is still pending after OUTBOX_GRACE_S
(the broker was down or hung, this process died between commit and publish). Both use the same
Publisher and remove an event only after the broker confirmed it; an event published by both
is a duplicate that consumers drop by event id, and consumers apply a booking's events in
version order, so a late copy changes nothing.

The lane is one background thread per process with its own connection. A request hands its
committed events over and returns: it never waits on the broker, whatever state the broker is
in, and nothing the broker does can fail a request after its commit. While idle the thread
keeps its connection answering heartbeats, so the broker does not drop it unnoticed; and one
thread per process keeps that process's events in the order they were committed.
"""
from __future__ import annotations

import logging
import os
import queue
import threading
import time

from pymongo.collection import Collection

from clinic_common.config import Settings
from clinic_common.events import Event
from clinic_common.logs import log_failure
from clinic_common.messaging.outbox import OUTBOX
from clinic_common.messaging.publisher import PublishFailed, Publisher
from clinic_common.messaging.topology import Topology

log = logging.getLogger(__name__)
MAX_WAITING = 1000  # past this the relay publishes the rest: memory stays bounded in an outage
IDLE_TICK_S = 1.0


class FastPath:
    def __init__(self, settings: Settings):
        self._settings = settings
        self._waiting: queue.Queue = queue.Queue(MAX_WAITING)
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None
        self._stop = threading.Event()
        # After a failed publish the lane stands aside for the grace period: the relay has it then.
        self._resting_until = 0.0

    def attach(self, repository):
        """Have `repository` (a VersionedCollection) hand each commit's events to this fast lane."""
        repository.after_commit = self.publish
        return repository

    def publish(self, collection: Collection, doc_id, entries: list[dict]) -> None:
        """Called right after a commit: queue the events and return. Never raises."""
        try:
            self._ensure_thread()
            self._waiting.put_nowait((collection, doc_id, entries))
        except queue.Full:
            log.info("fast lane full; the relay publishes these events")
        except Exception as exc:  # after a commit nothing may fail the request
            log_failure(log, "fast lane unavailable; the relay publishes these events", exc)

    def _ensure_thread(self) -> None:
        with self._lock:
            if self._thread is not None and self._thread.is_alive() and self._pid == os.getpid():
                return
            # A forked worker starts its own thread (threads do not survive a fork).
            self._pid, self._waiting = os.getpid(), queue.Queue(MAX_WAITING)
            self._thread = threading.Thread(target=self._run, name="outbox-fast-lane", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        publisher = Publisher(self._settings.amqp_url, self._settings.amqp_timeout_s,
                              Topology(self._settings.amqp_namespace))
        try:
            while not self._stop.is_set():
                try:
                    item = self._waiting.get(timeout=IDLE_TICK_S)
                except queue.Empty:
                    publisher.keep_alive()
                    continue
                try:
                    self._send(publisher, *item)
                finally:
                    self._waiting.task_done()
        finally:
            publisher.close()

    def _send(self, publisher: Publisher, collection: Collection, doc_id, entries: list[dict]) -> None:
        if time.monotonic() < self._resting_until:
            return  # left pending in the document: the relay publishes it after the grace period
        try:
            for entry in entries:
                publisher.publish(Event.from_outbox(entry))
                collection.update_one({"_id": doc_id}, {"$pull": {OUTBOX: {"id": entry["id"]}}})
        except PublishFailed as exc:
            self._resting_until = time.monotonic() + max(self._settings.outbox_grace_s, 1.0)
            log.info("fast publish deferred to the relay", extra={"error": str(exc)[:200]})
        except Exception as exc:  # the datastore or anything else: the relay still has the event
            log_failure(log, "fast publish deferred to the relay", exc)

    def drain(self, timeout_s: float = 5.0) -> bool:
        """Wait until every queued event was handled (tests, graceful shutdown); False on timeout."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._waiting.unfinished_tasks == 0:
                return True
            time.sleep(0.01)
        return False

    def close(self) -> None:
        self.drain(timeout_s=2.0)
        self._stop.set()
        if self._thread is not None and self._thread.is_alive():
            self._thread.join(timeout=self._settings.amqp_timeout_s + 2)
