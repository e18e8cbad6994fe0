"""Bookings: availability, bookings and appointment requests; the authority on what is free."""
from __future__ import annotations

from flask import Flask

from clinic_common.config import load_settings
from clinic_common.mongo import LazyMongo
from clinic_common.web import add_standard_checks, create_service_app

from bookings.api.bookings import blp as bookings_blp
from bookings.config import SERVICE, WORKERS
from bookings.store.bookings import BookingRepository


def create_app(config: dict | None = None, deps: dict | None = None) -> Flask:
    """`config`: environment-style overrides (None reads os.environ); `deps`: fakes for tests."""
    settings = load_settings(config)
    deps = deps or {}
    app, api, context = create_service_app(SERVICE, settings, "Bookings")
    mongo = deps.get("mongo") or LazyMongo(settings, settings.db_name(SERVICE), SERVICE)
    add_standard_checks(app, mongo, WORKERS)
    context.provide("bookings", deps.get("bookings") or (lambda: BookingRepository.connect(mongo.db)))
    api.register_blueprint(bookings_blp)
    return app
