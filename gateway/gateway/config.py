"""The gateway's own settings, on top of the shared loader (clinic_common.config.load_settings).

Extra environment names, defaults in brackets:
RATE_LIMIT_ENABLED [true] · RATE_LIMIT_DEFAULT [600/minute] per client IP, every route but /health ·
RATE_LIMIT_WRITES [60/minute] per client IP, POST to a collection (the creating routes) ·
HEALTH_TIMEOUT_S [2.0] per service probe · OPENAPI_CACHE_S [60] · TRUSTED_PROXIES [0] hops in
front of the gateway whose X-Forwarded-For / X-Forwarded-Proto may be believed.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from limits import parse_many

from clinic_common.config import ConfigError, Settings, load_settings

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


@dataclass(frozen=True)
class GatewayConfig:
    settings: Settings
    rate_limit_enabled: bool = True
    rate_limit_default: str = "600/minute"
    rate_limit_writes: str = "60/minute"
    health_timeout_s: float = 2.0
    openapi_cache_s: float = 60.0
    trusted_proxies: int = 0

    @property
    def rate_limit_storage(self) -> str:
        # Memory is per process: with several workers each keeps its own count; Redis shares one.
        return self.settings.redis_url or "memory://"


def _flag(env, name: str, default: bool) -> bool:
    raw = (env.get(name) or "").strip().lower()
    if not raw:
        return default
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def _limit(env, name: str, default: str) -> str:
    raw = (env.get(name) or "").strip() or default
    try:
        parse_many(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a rate limit such as '60/minute', got {raw!r}") from None
    return raw


def _number(env, name: str, default: float, kind=float):
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a {kind.__name__} number, got {raw!r}") from None
    if value < 0:
        raise ConfigError(f"{name} must not be negative, got {raw!r}")
    return value


def load_gateway_config(env: dict | None = None) -> GatewayConfig:
    """Read the environment once (None → os.environ), failing fast on a value the gateway cannot use."""
    env = os.environ if env is None else env
    return GatewayConfig(
        settings=load_settings(env),
        rate_limit_enabled=_flag(env, "RATE_LIMIT_ENABLED", True),
        rate_limit_default=_limit(env, "RATE_LIMIT_DEFAULT", "600/minute"),
        rate_limit_writes=_limit(env, "RATE_LIMIT_WRITES", "60/minute"),
        health_timeout_s=_number(env, "HEALTH_TIMEOUT_S", 2.0),
        openapi_cache_s=_number(env, "OPENAPI_CACHE_S", 60.0),
        trusted_proxies=_number(env, "TRUSTED_PROXIES", 0, int),
    )
