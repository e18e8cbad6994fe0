"""The fast lane of the outbox: the process that committed a change publishes its events at once.

The relay remains the guarantee: it publishes whatever is still pending after OUTBOX_GRACE_S
(the broker was down, this process died between commit and publish). Both use the same
Publisher and remove an event only after the broker confirmed it; an event published by both
is a duplicate that consumers drop by event id.
"""
from __future__ import annotations

import logging
import os
import threading

from pymongo.collection import Collection
from pymongo.errors import ConnectionFailure

from clinic_common.config import Settings
from clinic_common.events import Event
from clinic_common.messaging.outbox import OUTBOX
from clinic_common.messaging.publisher import PublishFailed, Publisher
from clinic_common.messaging.topology import Topology

log = logging.getLogger(__name__)


class FastPath:
    """One publisher per thread (a pika connection never crosses threads), made after the fork."""

    def __init__(self, settings: Settings):
        self._settings = settings
        self._local = threading.local()
        self._all: list[Publisher] = []
        self._lock = threading.Lock()

    def attach(self, repository):
        """Have `repository` (a VersionedCollection) hand each commit's events to this fast lane."""
        repository.after_commit = self.publish
        return repository

    def publish(self, collection: Collection, doc_id, entries: list[dict]) -> None:
        try:
            publisher = self._publisher()
            for entry in entries:
                publisher.publish(Event.from_outbox(entry))
                collection.update_one({"_id": doc_id}, {"$pull": {OUTBOX: {"id": entry["id"]}}})
        except (PublishFailed, ConnectionFailure) as exc:
            # Not the request's problem: the relay publishes what is left, once the broker is back.
            log.info("fast publish deferred to the relay", extra={"error": type(exc).__name__})

    def _publisher(self) -> Publisher:
        publisher = getattr(self._local, "publisher", None)
        if publisher is None or getattr(self._local, "pid", None) != os.getpid():
            publisher = Publisher(self._settings.amqp_url, self._settings.amqp_timeout_s,
                                  Topology(self._settings.amqp_namespace))
            self._local.publisher, self._local.pid = publisher, os.getpid()
            with self._lock:
                self._all.append(publisher)
        return publisher

    def close(self) -> None:
        with self._lock:
            for publisher in self._all:
                publisher.close()
            self._all.clear()
