"""The common Flask shell of a service: request ids, access log, body cap, problem+json, OpenAPI, /health."""
from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass, field

from flask import Flask, Response, current_app, g, jsonify, request
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls

from clinic_common.apidoc import ServiceApi
from clinic_common.audit import AuditLog, install_audit
from clinic_common.config import Settings
from clinic_common.errors import MalformedRequest, register_error_handlers
from clinic_common.limits import UnusableJson, load_json
from clinic_common.config import redact_url
from clinic_common.health import AmqpProbe, Check, heartbeat_check, mongo_check, run_checks
from clinic_common.mongo import LazyMongo
from clinic_common.logs import (accept_request_id, bind_request_id, bounded_text, configure_logging,
                                unbind_request_id)

log = logging.getLogger("clinic.access")
MAX_BODY_BYTES = 1024 * 1024
REQUEST_ID_HEADER = "X-Request-ID"


@dataclass
class ServiceContext:
    """What a service keeps in app.extensions['clinic']: settings, health checks, lazy resources.

    A resource (a repository, a client) is built on first use in each process, so nothing
    connects before gunicorn forks and a repository can ensure its indexes once per process.
    """

    name: str
    settings: Settings
    checks: dict[str, Check] = field(default_factory=dict)
    factories: dict = field(default_factory=dict)
    closers: list = field(default_factory=list)
    _built: dict = field(default_factory=dict)

    def close(self) -> None:
        """Release clients (tests, and anything that builds an app for a while)."""
        for built in self._built.values():
            if hasattr(type(built), "close"):  # not getattr(built, ...): a pymongo Collection answers any name
                built.close()
        for close in self.closers:
            close()
        self._built.clear()

    def provide(self, name: str, factory) -> None:
        self.factories[name] = factory

    def get(self, name: str):
        key = (name, os.getpid())
        if key not in self._built:
            self._built[key] = self.factories[name]()
        return self._built[key]


def outbox_fast_path(app: Flask):
    """A function that hands a new repository's commits to the outbox fast lane (or leaves it be)."""
    from clinic_common.messaging.fastpath import FastPath

    context: ServiceContext = app.extensions["clinic"]
    if not context.settings.outbox_fast_path:
        return lambda repository: repository
    fast = FastPath(context.settings)
    context.closers.append(fast.close)
    return fast.attach


def json_response(payload) -> Response:
    """Serialize a JSON-ready payload directly. For large hot answers (slots, working windows) whose
    marshmallow schema still documents the shape: dumping thousands of items costs more than the query."""
    return current_app.response_class(json.dumps(payload, separators=(",", ":")), mimetype="application/json")


def resource(name: str):
    """The current service's resource `name` (see ServiceContext.provide)."""
    return current_app.extensions["clinic"].get(name)


def schema_name(schema) -> str:
    """OpenAPI component names: a partial (PATCH) use of a schema gets its own name, not a clash."""
    name = resolve_schema_cls(schema).__name__.removesuffix("Schema")
    return f"{name}Patch" if getattr(schema, "partial", False) else name


def create_service_app(name: str, settings: Settings, title: str) -> tuple[Flask, ServiceApi, ServiceContext]:
    configure_logging(name, settings.log_level)
    app = Flask(name)
    app.config.update(
        CLINIC_SETTINGS=settings,
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        API_TITLE=title,
        API_VERSION="1.0.0",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
    )
    api = ServiceApi(app, spec_kwargs={"servers": [{"url": "/"}],
                                "marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=schema_name)})
    register_error_handlers(app)  # after Api(): ours must replace smorest's JSON error shape
    install_request_hooks(app)
    app.before_request(refuse_unusable_json)
    install_audit(app)  # records only the requests a view marked (clinic_common.audit)
    context = ServiceContext(name=name, settings=settings)
    app.extensions["clinic"] = context

    @app.get("/health")
    def health():
        report = run_checks(context.checks)
        return jsonify(report.body(name)), (200 if report.ok else 503)

    return app, api, context


def add_standard_checks(app: Flask, mongo: LazyMongo, workers: tuple[str, ...]) -> None:
    """mongo, rabbitmq and a heartbeat check per worker; plus a one-line warning at worker start.
    Also the service's audit trail, in the same database (a service may provide its own "audit")."""
    context: ServiceContext = app.extensions["clinic"]
    settings = context.settings
    context.closers.append(mongo.close)
    context.provide("audit", lambda: AuditLog.connect(mongo.db))
    context.checks["mongo"] = mongo_check(mongo)
    context.checks["rabbitmq"] = AmqpProbe(settings.amqp_url, settings.amqp_timeout_s)
    for worker in workers:
        context.checks[worker] = heartbeat_check(mongo, worker, settings.heartbeat_stale_s)

    def startup_check() -> None:
        try:
            mongo.ping()
        except Exception as exc:
            logging.getLogger(context.name).error(
                "datastore unreachable at %s (%s); /health says so and requests will recover when it returns",
                redact_url(settings.mongo_url), type(exc).__name__)

    app.extensions["clinic_startup_check"] = startup_check


def refuse_unusable_json() -> None:
    """400 for a JSON body no service can use (see clinic_common.limits), before webargs or a view
    parses it with the plain json module: checked once here rather than in every schema."""
    if not request.is_json:
        return
    body = request.get_data(cache=True)
    if body:
        try:
            load_json(body)
        except UnusableJson as exc:
            raise MalformedRequest(str(exc)) from None


QUIET_PATHS = ("/health",)  # probed every few seconds; a line each would drown the rest


def install_request_hooks(app: Flask) -> None:
    """Request id in (echoed or minted) and out on every response, and one access-log line.

    Install before other hooks so every later hook and error handler already has the id.
    A view may add fields to its access-log line through `g.log_extra`.
    """

    @app.before_request
    def _bind():
        g.request_id = accept_request_id(request.headers.get(REQUEST_ID_HEADER))
        g.request_id_token = bind_request_id(g.request_id)
        g.started = time.perf_counter()

    @app.after_request
    def _stamp(response):
        response.headers[REQUEST_ID_HEADER] = g.get("request_id") or ""
        if request.path not in QUIET_PATHS:
            _access_log(response.status_code)
        return response

    @app.teardown_request
    def _unbind(_exc):
        token = g.pop("request_id_token", None)
        if token is not None:
            unbind_request_id(token)


def _access_log(status: int) -> None:
    # The path only: query strings, headers and bodies may carry patient data or secrets.
    elapsed_ms = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
    log.info("request", extra={"method": request.method, "path": bounded_text(request.path), "status": status,
                               "ms": round(elapsed_ms, 1), **g.get("log_extra", {})})
