"""The sending loop: deliver what this process just stored, poll for the rest, fire due reminders, heartbeat.

Run NOTIFY_SENDERS of these per worker process, and as many processes as you like: every
piece of work is claimed atomically in MongoDB, so they share it without sending twice.

New records arrive by id from this process's consumer (delivery/handoff.py) and are claimed by
id: no empty "anything due?" queries while bookings stream in. Every NOTIFY_POLL_S a sender also
asks the datastore for whatever is due that no handoff brought: retries, messages waiting their
turn, records another process stored, leases of senders that died.
"""
from __future__ import annotations

import logging
import threading
import time
import uuid
from datetime import datetime
from typing import Callable

from pymongo.errors import ConnectionFailure

from clinic_common.config import Settings, redact_url
from clinic_common.health import Heartbeat
from clinic_common.mongo import LazyMongo
from clinic_common.worker import datastore_backoff

from notifications.channels import off_channels
from notifications.channels.email import EmailChannel
from notifications.channels.sms import SmsChannel
from notifications.content import Composer
from notifications.delivery.handoff import Handoff
from notifications.delivery.reminders import ReminderFirer
from notifications.delivery.sender import Sender
from notifications.store.notifications import NotificationRepository
from notifications.store.reminders import ReminderRepository

log = logging.getLogger(__name__)
BATCH = 50  # then heartbeat and look at reminders again, even under a steady stream


def open_channels(settings: Settings) -> dict:
    """The channels that are configured; a missing one makes its notifications `skipped`, not failed."""
    off = off_channels(settings)
    kinds = {"email": EmailChannel, "sms": SmsChannel}
    return {name: kind(settings) for name, kind in kinds.items() if name not in off}


class Dispatcher:
    def __init__(self, settings: Settings, mongo: LazyMongo, worker: str, clock: Callable[[], datetime],
                 stop: threading.Event, handoff: Handoff | None = None, after_commit=None):
        self._settings, self._mongo, self._worker, self._clock = settings, mongo, worker, clock
        self.stop, self._handoff, self._after_commit = stop, handoff or Handoff(), after_commit
        self._channels = open_channels(settings)
        self._sender: Sender | None = None
        self._firer: ReminderFirer | None = None
        self._next_poll = 0.0
        self._taken: str | None = None  # an id the idle wait received, delivered first in the next tick
        self._heartbeat = Heartbeat(mongo.db, worker, settings.heartbeat_s)

    def _build(self) -> None:
        """Indexes and repositories on first use, retried by run() until the datastore answers."""
        db, settings, token = self._mongo.db, self._settings, uuid.uuid4().hex
        notes, reminders = NotificationRepository.connect(db), ReminderRepository.connect(db)
        notes.after_commit = self._after_commit
        composer = Composer.from_settings(settings)
        self._sender = Sender(notes, reminders, composer, self._channels, self._clock, token=token,
                              max_attempts=settings.notify_max_attempts, retry_base_s=settings.notify_retry_base_s,
                              lease_s=settings.notify_lease_s)
        self._firer = ReminderFirer(reminders, notes, self._clock, token=token, lease_s=settings.notify_lease_s,
                                    handoff=self._handoff)

    def tick(self) -> int:
        """One round of work; how many reminders and notifications it handled.

        Bounded in count and in time, so the heartbeat stays fresh even while a dead SMTP
        server makes every attempt wait for its timeout.
        """
        if self._sender is None:
            self._build()
        done, deadline = 0, time.monotonic() + self._settings.heartbeat_s

        def more() -> bool:
            return done < BATCH and time.monotonic() < deadline and not self.stop.is_set()

        # What this process just stored first: usually a fresh confirmation.
        while more():
            note_id, self._taken = self._taken or self._handoff.take(), None
            if note_id is None:
                break
            done += self._sender.deliver(note_id)
        if time.monotonic() >= self._next_poll:  # the rest falls due by the clock
            self._next_poll = time.monotonic() + self._settings.notify_poll_s
            while more() and self._firer.fire_next():
                done += 1
            while more() and self._sender.deliver_next():
                done += 1
            if done >= BATCH:
                self._next_poll = 0.0  # a backlog: keep polling until it is worked off
        return done

    def run(self) -> None:
        backoff = datastore_backoff()
        while not self.stop.is_set():
            try:
                done = self.tick()
                self._heartbeat.beat()
                backoff.reset()
            except ConnectionFailure as exc:
                log.error("datastore unreachable at %s (%s); retrying with back-off",
                          redact_url(self._settings.mongo_url), type(exc).__name__)
                self.stop.wait(backoff.next())
                continue
            if not done:  # idle: until an id is handed over or the next poll is due
                self._taken = self._handoff.take(max(0.01, self._next_poll - time.monotonic()))
        self.close()

    def close(self) -> None:
        for channel in self._channels.values():
            channel.close()
