"""Bookings: availability, bookings and appointment requests; the authority on what is free."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Flask

from clinic_common.http import timeout_from
from clinic_common.idempotency import IdempotencyStore
from clinic_common.mongo import LazyMongo
from clinic_common.web import add_standard_checks, create_service_app, outbox_fast_path

from bookings.api import audit_trail, availability, bookings, holds, lifecycle, patient_info, series, visits, waitlist
from bookings.api import requests as appointment_requests
from bookings.api.access import install_audit
from bookings.api.problems import install_problems
from bookings.adapters.catalog_client import CatalogClient
from bookings.config import SERVICE, WORKERS, booking_policy, load_booking_settings, offer_link_key
from bookings.adapters.schedules import ScheduleSource
from bookings.store.audit_trail import AuditTrail
from bookings.store.bookings import BookingRepository
from bookings.store.epoch import ScheduleEpoch
from bookings.store.holds import HoldRepository
from bookings.store.ledger import Ledger
from bookings.store.requests import AppointmentRequestRepository
from bookings.store.series import SeriesRepository
from bookings.adapters.provider_records import ProviderRecords
from bookings.store.visits import VisitRepository
from bookings.store.waitlist import WaitlistRepository
from bookings.adapters.provider_traits import ProviderTraitsSource


def create_app(config: dict | None = None, deps: dict | None = None) -> Flask:
    """`config`: environment-style overrides (None reads os.environ); `deps`: fakes for tests."""
    settings = load_booking_settings(config)
    deps = deps or {}
    app, api, context = create_service_app(SERVICE, settings, "Bookings")
    # Keys in their schema's order, as the OpenAPI document lists them: sorting the keys of an
    # availability answer's thousands of slots would cost more than building them.
    app.json.sort_keys = False
    app.extensions["booking_policy"] = deps.get("policy") or booking_policy(settings)
    app.extensions["clock"] = deps.get("clock") or (lambda: datetime.now(timezone.utc))
    mongo = deps.get("mongo") or LazyMongo(settings, settings.db_name(SERVICE), SERVICE)
    add_standard_checks(app, mongo, WORKERS)
    timeout = timeout_from(settings)
    fast = outbox_fast_path(app)
    factories = {
        "bookings": lambda: fast(BookingRepository.connect(mongo.db)),
        "ledger": lambda: Ledger(mongo.db, clock=app.extensions["clock"]),  # holds expire by the app's clock
        "holds": lambda: HoldRepository.connect(mongo.db),
        "idempotency": lambda: _ensured(IdempotencyStore(mongo.db)),
        "schedules": lambda: ScheduleSource(settings.service_urls["locations"], timeout, ScheduleEpoch(mongo.db)),
        "appointment_requests": lambda: fast(AppointmentRequestRepository.connect(mongo.db)),
        "catalog": lambda: CatalogClient(settings.service_urls["locations"], timeout),
        "series": lambda: fast(SeriesRepository.connect(mongo.db)),
        "provider_records": lambda: ProviderRecords(settings.service_urls["locations"], timeout),
        "visits": lambda: fast(VisitRepository.connect(mongo.db)),
        "waitlist": lambda: fast(WaitlistRepository.connect(mongo.db)),
        "provider_traits": lambda: ProviderTraitsSource(settings.service_urls["locations"], timeout),
        "audit_trail": lambda: AuditTrail(mongo.db),
    }
    for name, factory in factories.items():
        context.provide(name, deps.get(name) or factory)
    install_audit(app)
    install_problems(app)
    for blueprint in (bookings.blp, lifecycle.blp, availability.blp, patient_info.blp):
        api.register_blueprint(blueprint)
    api.register_blueprint(appointment_requests.blp)
    api.register_blueprint(series.blp)
    api.register_blueprint(visits.blp)
    api.register_blueprint(holds.blp)
    app.extensions["waitlist"] = {"offer_minutes": settings.offer_minutes, "link_key": offer_link_key(settings)}
    api.register_blueprint(waitlist.blp)
    api.register_blueprint(audit_trail.blp)
    return app


def _ensured(store: IdempotencyStore) -> IdempotencyStore:
    store.ensure_indexes()
    return store
