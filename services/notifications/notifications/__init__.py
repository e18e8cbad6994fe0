"""Notifications: consumes booking events, delivers email and SMS, keeps the delivery log."""
from __future__ import annotations

from flask import Flask

from clinic_common.mongo import LazyMongo
from clinic_common.web import add_standard_checks, create_service_app

from notifications.api.notifications import blp as notifications_blp
from notifications.config import SERVICE, WORKERS, load_notification_settings
from notifications.store.notifications import NotificationRepository


def create_app(config: dict | None = None, deps: dict | None = None) -> Flask:
    settings = load_notification_settings(config)
    deps = deps or {}
    app, api, context = create_service_app(SERVICE, settings, "Notifications")
    mongo = deps.get("mongo") or LazyMongo(settings, settings.db_name(SERVICE), SERVICE)
    add_standard_checks(app, mongo, WORKERS)
    context.provide("notifications", deps.get("notifications") or (lambda: NotificationRepository.connect(mongo.db)))
    api.register_blueprint(notifications_blp)
    return app
