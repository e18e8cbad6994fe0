"""The sending loop: fire due reminders, deliver due notifications, heartbeat; sleep when idle.

Run NOTIFY_SENDERS of these per worker process, and as many processes as you like: every
piece of work is claimed atomically in MongoDB, so they share it without sending twice.
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
from clinic_common.worker import Backoff

from notifications.channels.email import EmailChannel
from notifications.channels.sms import SmsChannel
from notifications.content import Composer
from notifications.delivery.reminders import ReminderFirer
from notifications.delivery.sender import Sender
from notifications.store.notifications import NotificationRepository
from notifications.store.reminders import ReminderRepository

log = logging.getLogger(__name__)
BATCH = 50  # then heartbeat and look at reminders again, even under a steady stream


def open_channels(settings: Settings) -> dict:
    """The channels that are configured; a missing one makes its notifications `skipped`, not failed."""
    channels = {}
    if settings.smtp_host:
        channels["email"] = EmailChannel(settings)
    if settings.sms_webhook_url:
        channels["sms"] = SmsChannel(settings)
    return channels


class Dispatcher:
    def __init__(self, settings: Settings, mongo: LazyMongo, worker: str, clock: Callable[[], datetime],
                 stop: threading.Event, wake: threading.Event | None = None):
        self._settings, self._mongo, self._worker, self._clock = settings, mongo, worker, clock
        self.stop, self._wake = stop, wake or threading.Event()
        self._channels = open_channels(settings)
        self._sender: Sender | None = None
        self._firer: ReminderFirer | None = None
        self._next_reminder_check = 0.0
        self._heartbeat = Heartbeat(mongo.db, worker, settings.heartbeat_s)

    def _build(self) -> None:
        """Indexes and repositories on first use, retried by run() until the datastore answers."""
        db, settings, token = self._mongo.db, self._settings, uuid.uuid4().hex
        notes, reminders = NotificationRepository.connect(db), ReminderRepository.connect(db)
        composer = Composer(settings.smtp_from, settings.telehealth_join_base_url)
        self._sender = Sender(notes, reminders, composer, self._channels, self._clock, token=token,
                              max_attempts=settings.notify_max_attempts, retry_base_s=settings.notify_retry_base_s,
                              lease_s=settings.notify_lease_s)
        self._firer = ReminderFirer(reminders, notes, self._clock, token=token, lease_s=settings.notify_lease_s)

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

        # Messages waiting to go out first: a woken sender is usually wanted for a fresh confirmation.
        while more() and self._sender.deliver_next():
            done += 1
        if time.monotonic() >= self._next_reminder_check:  # reminders fall due by the clock, not by wakes
            self._next_reminder_check = time.monotonic() + self._settings.notify_poll_s
            while more() and self._firer.fire_next():
                done += 1
        return done

    def run(self) -> None:
        backoff = Backoff()
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
            if not done:
                self._wake.wait(self._settings.notify_poll_s)
                self._wake.clear()
        self.close()

    def close(self) -> None:
        for channel in self._channels.values():
            channel.close()
