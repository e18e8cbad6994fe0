"""Transactional outbox without transactions: a change and its pending events live in one document.

A service writes its aggregate and appends the event to that document's `outbox`
array in the same single-document write, which MongoDB applies atomically. The
relay publishes each pending event with a confirm and only then pulls it from
the array. A crash between the two republishes (consumers dedupe by event id);
nothing is ever dropped, and a broker outage only delays delivery.
"""
from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta, timezone

from pymongo.collection import Collection
from pymongo.errors import ConnectionFailure

from clinic_common.config import redact_url
from clinic_common.events import Event
from clinic_common.logs import log_failure
from clinic_common.messaging.publisher import PublishFailed, Publisher
from clinic_common.worker import Backoff, datastore_backoff

log = logging.getLogger(__name__)
OUTBOX = "outbox"

PENDING = {f"{OUTBOX}.id": {"$exists": True}}


def pending_query(grace_s: float) -> dict:
    """Documents with events pending for longer than `grace_s`: younger ones are the fast lane's."""
    if grace_s <= 0:
        return PENDING
    cutoff = (datetime.now(timezone.utc) - timedelta(seconds=grace_s)).isoformat(timespec="milliseconds")
    return {**PENDING, f"{OUTBOX}.occurred_at": {"$lt": cutoff}}  # ISO UTC strings sort as times do


def with_pending(update: dict, *events: Event) -> dict:
    """Add `events` to a MongoDB update document so they are stored in the same atomic write."""
    pushed = {"$each": [event.to_outbox() for event in events]}
    return {**update, "$push": {**update.get("$push", {}), OUTBOX: pushed}}


def ensure_outbox_index(collection: Collection) -> None:
    collection.create_index(f"{OUTBOX}.id", sparse=True)


class OutboxRelay:
    def __init__(self, collections: list[Collection], publisher: Publisher, *, poll_s: float = 0.05,
                 batch: int = 100, heartbeat=None, stop: threading.Event | None = None, amqp_url: str = "",
                 prepare=None, on_close=None, housekeeping=None, housekeeping_every_s: float = 10.0,
                 grace_s: float = 0.0, idle_poll_s: float | None = None):
        self._collections, self._publisher = collections, publisher
        self._poll_s, self._batch, self._heartbeat = poll_s, batch, heartbeat
        self._amqp_url = amqp_url
        self._grace_s = grace_s
        # Idle, the relay polls less and less often, up to `idle_poll_s`: an idle datastore is not kept busy.
        self._idle_poll_s = max(poll_s, idle_poll_s or poll_s)
        self._prepare = prepare  # one-time setup (indexes), retried until the datastore answers
        self._on_close = on_close
        # A service's periodic chores that belong with its relay (e.g. freeing leftover ledger entries),
        # run in a thread of their own beside the publishing loop.
        self._housekeeping, self._housekeeping_every_s = housekeeping, housekeeping_every_s
        self.stop = stop or threading.Event()

    def relay_once(self) -> int:
        """Publish what is pending now; returns how many events went out. Raises PublishFailed."""
        sent = 0
        for collection in self._collections:
            for doc in collection.find(pending_query(self._grace_s), {OUTBOX: 1}).limit(self._batch):
                sent += self._relay_document(collection, doc)
        return sent

    def _relay_document(self, collection: Collection, doc: dict) -> int:
        sent = 0
        for pending in doc.get(OUTBOX, []):  # array order is the order the changes happened
            self._publisher.publish(Event.from_outbox(pending))
            collection.update_one({"_id": doc["_id"]}, {"$pull": {OUTBOX: {"id": pending["id"]}}})
            sent += 1
        return sent

    def run(self) -> None:
        backoff, failing, idle_wait = Backoff(), False, self._poll_s
        datastore_waits = datastore_backoff()
        chores = self._start_housekeeping()
        while not self.stop.is_set():
            try:
                if self._prepare is not None:
                    self._prepare()
                    self._prepare = None
                sent = self.relay_once()
                self._beat(True)
                if failing:
                    log.info("outbox relay recovered")
                failing = False
                backoff.reset()
                datastore_waits.reset()
                idle_wait = self._poll_s if sent else min(idle_wait * 2, self._idle_poll_s)
                if not sent:
                    self.stop.wait(idle_wait)
            except PublishFailed as exc:
                failing = self._report(failing, f"cannot publish ({exc}); broker {redact_url(self._amqp_url)}")
                self._beat(False)
                self.stop.wait(backoff.next())
            except ConnectionFailure as exc:
                failing = self._report(failing, f"datastore unavailable ({type(exc).__name__})")
                self.stop.wait(datastore_waits.next())
            except Exception as exc:  # nothing may end the relay but a stop: log it, back off, go on
                log_failure(log, "outbox relay failed; retrying with back-off", exc)
                failing = True
                self.stop.wait(backoff.next())
        if chores is not None:
            chores.join(timeout=self._housekeeping_every_s + 5)
        self.close()

    def close(self) -> None:
        self._publisher.close()
        if self._on_close is not None:
            self._on_close()

    def _start_housekeeping(self) -> threading.Thread | None:
        """Chores run in a thread of their own: a slow one (a waitlist rescan asking locations about
        weeks of schedules) must never hold up the events waiting to be published."""
        if self._housekeeping is None:
            return None
        thread = threading.Thread(target=self._housekeeping_loop, name="relay-housekeeping", daemon=True)
        thread.start()
        return thread

    def _housekeeping_loop(self) -> None:
        while not self.stop.is_set():
            self._housekeep()
            self.stop.wait(self._housekeeping_every_s)

    def _housekeep(self) -> None:
        try:
            self._housekeeping()
        except ConnectionFailure as exc:  # the datastore is away: the next round tries again
            log.warning("housekeeping skipped: datastore unavailable (%s)", type(exc).__name__)
        except Exception as exc:  # a chore must never stop events from flowing
            log_failure(log, "housekeeping failed", exc)

    @staticmethod
    def _report(failing: bool, message: str) -> bool:
        if not failing:
            log.error("outbox relay: %s; retrying with back-off", message)
        return True

    def _beat(self, broker_ok: bool) -> None:
        if self._heartbeat is not None:
            try:
                self._heartbeat.beat(broker_ok=broker_ok)
            except ConnectionFailure:
                pass
