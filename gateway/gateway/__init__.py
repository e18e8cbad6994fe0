"""The API gateway: auth, rate limits, request ids, routing with explicit timeouts, merged OpenAPI,
the docs page and aggregated health. No business logic: the services decide everything else."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from flask_limiter import Limiter
from werkzeug.middleware.proxy_fix import ProxyFix

from clinic_common.errors import register_error_handlers
from clinic_common.http import SessionPool, timeout_from
from clinic_common.logs import configure_logging
from gateway.config import load_gateway_config
from gateway.health import register_health
from gateway.hooks import install_request_hooks
from gateway.openapi import register_openapi
from gateway.pages import register_pages
from gateway.proxy import register_proxy
from gateway.ratelimit import install_limiter, make_limiter, writes_limit
from gateway.staff import register_staff


@dataclass
class GatewayContext:
    """What the gateway keeps in app.extensions['gateway']: its connections to the services, its rate limits."""

    pool: SessionPool
    limiter: Limiter


def create_app(config: dict | None = None, deps: dict | None = None) -> Flask:
    """`config` is an environment-like dict (None → os.environ); `deps` may hold `session_factory`,
    a callable returning a requests.Session, for tests that want to see or fake the upstream calls."""
    settings = load_gateway_config(config)
    deps = deps or {}
    configure_logging("gateway", settings.log_level)  # also redacts query strings from library logs
    app = Flask("gateway", static_folder=None)
    app.config["CLINIC_SETTINGS"] = settings  # clinic_common.auth reads the JWT secret from here
    pool = SessionPool(timeout_from(settings), deps.get("session_factory"))
    limiter = make_limiter(settings)
    app.extensions["gateway"] = GatewayContext(pool=pool, limiter=limiter)

    install_request_hooks(app)  # first: every later hook and error already has the request id
    register_error_handlers(app)
    install_limiter(app, limiter)
    register_proxy(app, pool, writes_limit(limiter, settings))
    register_health(app, pool, settings.health_timeout_s, limiter)
    register_openapi(app, pool, settings.openapi_cache_s)
    register_pages(app)
    register_staff(app, pool)  # the staff web app at /staff (gateway/staff/)
    if settings.trusted_proxies:
        hops = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    return app
