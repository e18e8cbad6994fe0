"""Process entry points shared by every service's workers: load config, log, run until signalled."""
from __future__ import annotations

import logging
import sys
from typing import Callable

from clinic_common.config import ConfigError, Settings, load_settings
from clinic_common.health import Heartbeat, ensure_heartbeat_indexes
from clinic_common.logs import configure_logging
from clinic_common.messaging.consumer import ConsumerLoop, ConsumerSpec, Handler
from clinic_common.messaging.inbox import MongoInbox, NoInbox
from clinic_common.messaging.outbox import OutboxRelay, ensure_outbox_index
from clinic_common.messaging.publisher import Publisher
from clinic_common.messaging.topology import Topology
from clinic_common.mongo import LazyMongo
from clinic_common.worker import stop_on_signals

log = logging.getLogger(__name__)


def _settings_or_exit(worker: str) -> Settings:
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"{worker}: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    configure_logging(worker, settings.log_level)
    return settings


def build_relay(settings: Settings, service: str, collections: tuple[str, ...], stop=None,
                housekeeping: Callable | None = None) -> OutboxRelay:
    """`housekeeping(db)` returns a chore the relay runs every few seconds, or None."""
    worker = f"{service}-relay"
    mongo = LazyMongo(settings, settings.db_name(service), worker)
    return OutboxRelay(
        [mongo.db[name] for name in collections],
        Publisher(settings.amqp_url, settings.amqp_timeout_s, Topology(settings.amqp_namespace)),
        poll_s=settings.outbox_poll_s, heartbeat=Heartbeat(mongo.db, worker, settings.heartbeat_s),
        stop=stop, amqp_url=settings.amqp_url, prepare=lambda: _prepare_relay(mongo, collections),
        on_close=mongo.close, housekeeping=housekeeping(mongo.db) if housekeeping else None,
        grace_s=settings.outbox_grace_s if settings.outbox_fast_path else 0.0, idle_poll_s=settings.outbox_idle_poll_s)


def _prepare_relay(mongo: LazyMongo, collections: tuple[str, ...]) -> None:
    ensure_heartbeat_indexes(mongo.db)
    for name in collections:
        ensure_outbox_index(mongo.db[name])


def run_relay(service: str, collections: tuple[str, ...], housekeeping: Callable | None = None) -> int:
    """`python -m <service>.relay`: publish every pending event of `collections` until SIGTERM."""
    settings = _settings_or_exit(f"{service}-relay")
    log.info("outbox relay starting", extra={"collections": list(collections)})
    build_relay(settings, service, collections, stop_on_signals(), housekeeping).run()
    return 0


def build_consumer(settings: Settings, service: str, spec: ConsumerSpec,
                   make_handler: Callable[[LazyMongo], Handler], stop=None) -> ConsumerLoop:
    mongo = LazyMongo(settings, settings.db_name(service), spec.worker)
    inbox = MongoInbox(mongo.db) if spec.inbox else NoInbox()
    return ConsumerLoop(settings, spec, make_handler(mongo), inbox,
                        heartbeat=Heartbeat(mongo.db, spec.worker, settings.heartbeat_s), stop=stop,
                        prepare=lambda: (ensure_heartbeat_indexes(mongo.db), inbox.ensure_indexes()),
                        on_close=mongo.close)


def run_consumer(service: str, spec: ConsumerSpec, make_handler: Callable[[LazyMongo], Handler]) -> int:
    """`python -m <service>.worker`: handle events from the service's queue until SIGTERM."""
    settings = _settings_or_exit(spec.worker)
    build_consumer(settings, service, spec, make_handler, stop_on_signals()).run()
    return 0
