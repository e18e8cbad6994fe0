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

Publishing is never delayed, but removing what went out is: the lane gathers the published events
for up to REMOVE_AFTER_S (or REMOVE_BATCH of them) and pulls them from their documents in one write
per collection. Under load that turns one write per event into one per batch; the relay's grace
period is far longer than the wait, so it never mistakes a gathered event for a stranded one.
"""
from __future__ import annotations

import logging
import os
import queue
import threading
import time

from pymongo.collection import Collection
from pymongo.errors import ConnectionFailure

from clinic_common.config import Settings
from clinic_common.events import Event
from clinic_common.logs import log_failure
from clinic_common.messaging.outbox import OUTBOX
from clinic_common.messaging.publisher import PublishFailed, Publisher
from clinic_common.messaging.topology import Topology

log = logging.getLogger(__name__)
MAX_WAITING = 1000  # past this the relay publishes the rest: memory stays bounded in an outage
IDLE_TICK_S = 1.0
REMOVE_AFTER_S, REMOVE_BATCH = 0.25, 100  # published events wait at most this long (or this many) for removal
# A removal that fails (the datastore is away) is tried again this often, for as many events as this: once
# the datastore is back the outboxes empty at once, without waiting out the relay's grace and back-off.
REMOVE_RETRY_S, REMOVE_KEEP = 1.0, 10_000


class Published:
    """Events the broker confirmed, still in their documents' outboxes until the next removal."""

    def __init__(self):
        self._by_collection: dict[str, tuple[Collection, set, list]] = {}
        self.count, self.since = 0, 0.0

    def add(self, collection: Collection, doc_id, event_id: str) -> None:
        if not self.count:
            self.since = time.monotonic()
        _, doc_ids, event_ids = self._by_collection.setdefault(collection.full_name, (collection, set(), []))
        doc_ids.add(doc_id)
        event_ids.append(event_id)
        self.count += 1

    def due(self) -> bool:
        return self.count >= REMOVE_BATCH or (self.count > 0 and time.monotonic() - self.since >= REMOVE_AFTER_S)

    def wait_s(self) -> float:
        """How long the lane may wait for more work before these are due."""
        return IDLE_TICK_S if not self.count else max(0.0, self.since + REMOVE_AFTER_S - time.monotonic())

    def remove(self) -> None:
        """One write per collection. What fails is kept and tried again after REMOVE_RETRY_S (up to
        REMOVE_KEEP events; past that the relay republishes them, a duplicate at worst)."""
        batches, self._by_collection, self.count = self._by_collection, {}, 0
        for collection, doc_ids, event_ids in batches.values():
            try:
                collection.update_many({"_id": {"$in": list(doc_ids)}},
                                       {"$pull": {OUTBOX: {"id": {"$in": event_ids}}}})
            except ConnectionFailure as exc:
                self._keep(collection, doc_ids, event_ids, type(exc).__name__)
            except Exception as exc:  # anything else: the relay republishes them after its grace period
                log_failure(log, "published events left for the relay to remove", exc)

    def _keep(self, collection: Collection, doc_ids: set, event_ids: list, why: str) -> None:
        if self.count + len(event_ids) > REMOVE_KEEP:
            log.warning("published events left for the relay to remove", extra={"error": why})
            return
        _, kept_docs, kept_events = self._by_collection.setdefault(collection.full_name, (collection, set(), []))
        kept_docs |= doc_ids
        kept_events.extend(event_ids)
        self.count += len(event_ids)
        # Due again after REMOVE_RETRY_S, not at once: the datastore is away.
        self.since = time.monotonic() + REMOVE_RETRY_S - REMOVE_AFTER_S
        log.info("removing published events after the datastore is back", extra={"error": why})


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
        self._published = Published()
        self._draining = False  # someone waits in drain(): remove at once rather than gather

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
            self._pid, self._waiting, self._published = os.getpid(), queue.Queue(MAX_WAITING), Published()
            self._thread = threading.Thread(target=self._run, name="outbox-fast-lane", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        publisher = Publisher(self._settings.amqp_url, self._settings.amqp_timeout_s,
                              Topology(self._settings.amqp_namespace))
        published = self._published
        try:
            while not self._stop.is_set():
                try:
                    item = self._waiting.get(timeout=published.wait_s())
                except queue.Empty:
                    item = None
                    if not published.count:
                        publisher.keep_alive()
                if item is not None:
                    try:
                        self._send(publisher, published, *item)
                    finally:
                        self._waiting.task_done()
                if published.due() or (published.count and self._waiting.empty() and self._draining):
                    published.remove()
        finally:
            published.remove()
            publisher.close()

    def _send(self, publisher: Publisher, published: Published, collection: Collection, doc_id,
              entries: list[dict]) -> None:
        if time.monotonic() < self._resting_until:
            return  # left pending in the document: the relay publishes it after the grace period
        try:
            for entry in entries:
                publisher.publish(Event.from_outbox(entry))
                published.add(collection, doc_id, entry["id"])
        except PublishFailed as exc:
            self._resting_until = time.monotonic() + max(self._settings.outbox_grace_s, 1.0)
            log.info("fast publish deferred to the relay", extra={"error": str(exc)[:200]})
        except Exception as exc:  # the datastore or anything else: the relay still has the event
            log_failure(log, "fast publish deferred to the relay", exc)

    def drain(self, timeout_s: float = 5.0) -> bool:
        """Wait until every queued event was handled and removed (tests, graceful shutdown); False on timeout."""
        deadline, self._draining = time.monotonic() + timeout_s, True
        try:
            while time.monotonic() < deadline:
                if self._waiting.unfinished_tasks == 0 and not self._published.count:
                    return True
                time.sleep(0.01)
            return False
        finally:
            self._draining = False

    def close(self) -> None:
        self.drain(timeout_s=2.0)
        self._stop.set()
        if self._thread is not None and self._thread.is_alive():
            self._thread.join(timeout=self._settings.amqp_timeout_s + 2)
