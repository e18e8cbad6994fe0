"""Rate limits per client IP (Flask-Limiter): a generous one for everything, a tighter one for creating."""
from __future__ import annotations

import logging
import time

from flask import Flask, request
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address

from clinic_common.errors import problem
from gateway.config import GatewayConfig
from gateway.proxy import is_creating_post


def make_limiter(config: GatewayConfig) -> Limiter:
    # Its own log lines name the client's address at INFO; the access log already records the 429.
    logging.getLogger("flask-limiter").setLevel(logging.WARNING)
    return Limiter(
        get_remote_address,
        application_limits=[config.rate_limit_default],
        storage_uri=config.rate_limit_storage,
        in_memory_fallback=[config.rate_limit_default],
        swallow_errors=True,  # a Redis outage loosens the limits; it must not take the API down
        key_prefix=key_prefix(config),
        enabled=config.rate_limit_enabled,
    )


def key_prefix(config: GatewayConfig) -> str:
    """Every worker of one gateway shares its counts in Redis; another stack on the same Redis (a test
    run, `make bench` beside `make run`) is told apart by its AMQP_NAMESPACE and counts on its own."""
    namespace = config.amqp_namespace
    return f"gateway:{namespace}" if namespace else "gateway"


def writes_limit(limiter: Limiter, config: GatewayConfig):
    """Decorator for the proxy view: the write limit counts only POSTs that create something."""
    return limiter.limit(
        config.rate_limit_writes,
        scope="writes",
        override_defaults=False,
        exempt_when=lambda: not is_creating_post((request.view_args or {}).get("rest", "")),
    )


# The pages' own files: fixed, cacheable, answered from memory with no upstream call. A page load fetches
# dozens of them (the staff app about 30), and the desks of one clinic share an address; counting them
# would spend the budget meant for the API on a reload.
STATIC_ENDPOINTS = frozenset({"book_asset", "staff.asset"})


def install_limiter(app: Flask, limiter: Limiter) -> None:
    limiter.init_app(app)

    @limiter.request_filter
    def _static_file() -> bool:
        return request.method in ("GET", "HEAD") and request.endpoint in STATIC_ENDPOINTS

    @app.errorhandler(RateLimitExceeded)
    def _too_many(exc: RateLimitExceeded):
        return problem(429, "Too many requests", f"Rate limit exceeded ({exc.description}); retry later.",
                       slug="rate-limited", headers={"Retry-After": str(_retry_after_s(limiter))})


def _retry_after_s(limiter: Limiter) -> int:
    try:
        reset_at = limiter.current_limit.reset_at
    except Exception:  # storage gone between the hit and now: a minute is a safe guess
        return 60
    return max(1, int(reset_at - time.time()))
