"""Locations: clinic locations, weekly hours, closures, providers and visit types."""
from __future__ import annotations

from flask import Flask

from clinic_common.config import load_settings
from clinic_common.mongo import LazyMongo
from clinic_common.web import add_standard_checks, create_service_app, outbox_fast_path

from locations.api import catalog, closures, locations, windows
from locations.api.problems import register_problems
from locations.config import SERVICE, WORKERS
from locations.store.catalog import ProviderRepository, ServiceRepository
from locations.store.locations import LocationRepository


def create_app(config: dict | None = None, deps: dict | None = None) -> Flask:
    settings = load_settings(config)
    deps = deps or {}
    app, api, context = create_service_app(SERVICE, settings, "Locations")
    mongo = deps.get("mongo") or LazyMongo(settings, settings.db_name(SERVICE), SERVICE)
    add_standard_checks(app, mongo, WORKERS)
    register_problems(app)
    fast = outbox_fast_path(app)
    for name, repository in (("locations", LocationRepository), ("services", ServiceRepository),
                             ("providers", ProviderRepository)):
        context.provide(name, deps.get(name) or (lambda repository=repository: fast(repository.connect(mongo.db))))
    for blueprint in (locations.blp, closures.blp, windows.blp, catalog.services_blp, catalog.providers_blp):
        api.register_blueprint(blueprint)
    return app
