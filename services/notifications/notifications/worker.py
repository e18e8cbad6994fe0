"""`python -m notifications.worker`: consume booking events, fire reminders, deliver notifications.

One process runs NOTIFY_CONSUMERS consumers (the main thread and more threads, each with its own
broker connection) and NOTIFY_SENDERS dispatch threads. Consumers spend most of their time waiting on
the datastore, so two of them record a burst's events about twice as fast; they share the queue as
separate processes would, which the handler already allows (idempotent writes, events applied in
version order). Run as many processes as you like (`docker compose up --scale notifications-worker=3`): the queue shares
events between them and MongoDB claims share the sending, so nothing goes out twice.
"""
from __future__ import annotations

import logging
import sys
import threading
from dataclasses import dataclass

from clinic_common.config import ConfigError
from clinic_common.logs import configure_logging
from clinic_common.messaging.fastpath import FastPath
from clinic_common.mongo import LazyMongo
from clinic_common.runner import build_consumer
from clinic_common.worker import stop_on_signals

from notifications.config import SENDER, SERVICE, WORKER, NotificationSettings, consumer_spec, load_notification_settings
from notifications.delivery.dispatcher import Dispatcher
from notifications.delivery.handoff import Handoff
from notifications.events.handlers import make_handler, utc_now

log = logging.getLogger(__name__)


@dataclass
class Worker:
    """A worker process's pieces: tests run the same ones in threads with a fake clock."""
    consumers: list
    dispatchers: list[Dispatcher]
    mongo: LazyMongo
    fast: FastPath | None

    @property
    def consumer(self):
        """The first consumer (its queue is every consumer's queue)."""
        return self.consumers[0]

    @property
    def loops(self) -> list:
        """Every loop to run, each in a thread of its own (main() runs the first in the main thread)."""
        return [*self.consumers, *self.dispatchers]

    def close(self) -> None:
        """After the loops stopped: what is published goes out of the outboxes, then the datastore closes."""
        if self.fast is not None:
            self.fast.close()
        self.mongo.close()


def build_worker(settings: NotificationSettings, stop: threading.Event, clock=utc_now) -> Worker:
    handoff = Handoff()
    consumers = [build_consumer(settings, SERVICE, consumer_spec(settings),
                                lambda mongo: make_handler(mongo, settings, clock, handoff), stop)
                 for _ in range(max(1, settings.notify_consumers))]
    mongo = LazyMongo(settings, settings.db_name(SERVICE), SENDER)
    senders = max(1, settings.notify_senders)
    fast = FastPath(settings) if settings.outbox_fast_path else None  # notification.* events out at once
    after_commit = fast.publish if fast is not None else None
    dispatchers = [Dispatcher(settings, mongo, SENDER, clock, stop, handoff, after_commit) for _ in range(senders)]
    return Worker(consumers, dispatchers, mongo, fast)


def warn_about(settings: NotificationSettings) -> None:
    for name, missing in (("email", not settings.smtp_host), ("SMS", not settings.sms_webhook_url)):
        if missing:
            log.warning("%s is off: its notifications are recorded as skipped", name)
    if settings.notify_lease_s < 3 * max(settings.smtp_timeout_s, settings.sms_timeout_s):
        # A lease that runs out while a slow send is still under way lets a second sender send it too.
        log.warning("NOTIFY_LEASE_S should be at least three times SMTP_TIMEOUT_S and SMS_TIMEOUT_S")


def main() -> int:
    try:
        settings = load_notification_settings()
    except ConfigError as exc:
        print(f"{WORKER}: {exc}", file=sys.stderr)
        return 2
    configure_logging(WORKER, settings.log_level)
    warn_about(settings)
    stop = stop_on_signals()
    worker = build_worker(settings, stop)
    first, *others = worker.loops
    threads = [threading.Thread(target=loop.run, name=f"loop-{i}", daemon=True) for i, loop in enumerate(others)]
    for thread in threads:
        thread.start()
    first.run()  # the first consumer: returns once SIGTERM / SIGINT set `stop`
    for thread in threads:
        thread.join(timeout=15)
    worker.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
