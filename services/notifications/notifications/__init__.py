"""Notifications: consumes booking events, delivers email and SMS, keeps the delivery log."""
from __future__ import annotations

from flask import Flask

from clinic_common.mongo import LazyMongo
from clinic_common.web import add_standard_checks, create_service_app

from notifications.api.notifications import blp as notifications_blp
from notifications.api.resend import blp as resend_blp
from notifications.api.sms_inbound import blp as sms_inbound_blp
from notifications.channels.sms import SmsChannel
from notifications.config import SERVICE, WORKERS, load_notification_settings
from notifications.store.notifications import NotificationRepository
from notifications.store.resends import Resends
from notifications.store.sms_optouts import SmsOptOuts


def create_app(config: dict | None = None, deps: dict | None = None) -> Flask:
    settings = load_notification_settings(config)
    deps = deps or {}
    app, api, context = create_service_app(SERVICE, settings, "Notifications")
    mongo = deps.get("mongo") or LazyMongo(settings, settings.db_name(SERVICE), SERVICE)
    add_standard_checks(app, mongo, WORKERS)
    context.provide("notifications", deps.get("notifications") or (lambda: NotificationRepository.connect(mongo.db)))
    context.provide("sms_optouts", deps.get("sms_optouts") or (lambda: SmsOptOuts.connect(mongo.db)))
    context.provide("resends", deps.get("resends") or (lambda: Resends(mongo.db)))
    context.provide("sms_replies", deps.get("sms_replies") or (lambda: SmsChannel(settings)))
    api.register_blueprint(notifications_blp)
    api.register_blueprint(sms_inbound_blp)
    api.register_blueprint(resend_blp)
    return app
