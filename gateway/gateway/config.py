"""The gateway's own settings, declared on the shared Settings and read by the shared loader.

Defaults in brackets: RATE_LIMIT_ENABLED [true] · RATE_LIMIT_DEFAULT [600/minute] per client IP,
every route but /health · RATE_LIMIT_WRITES [60/minute] per client IP, POST to a collection (the
creating routes) · REDIS_URL [empty: counts in memory, per worker] · HEALTH_TIMEOUT_S [2.0] per
service probe · OPENAPI_CACHE_S [60] · TRUSTED_PROXIES [0] hops in front of the gateway whose
X-Forwarded-For / X-Forwarded-Proto may be believed.
"""
from __future__ import annotations

from dataclasses import dataclass

from limits import parse_many

from clinic_common.config import ConfigError, Settings, flag, load_settings, number, setting, whole


def rate_limit(raw: str, name: str) -> str:
    try:
        parse_many(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a rate limit such as '60/minute', got {raw!r}") from None
    return raw


def not_negative(parse):
    def checked(raw: str, name: str):
        value = parse(raw, name)
        if value < 0:
            raise ConfigError(f"{name} must not be negative, got {raw!r}")
        return value

    return checked


@dataclass(frozen=True)
class GatewayConfig(Settings):
    rate_limit_enabled: bool = setting("RATE_LIMIT_ENABLED", True, flag)
    rate_limit_default: str = setting("RATE_LIMIT_DEFAULT", "600/minute", rate_limit)
    rate_limit_writes: str = setting("RATE_LIMIT_WRITES", "60/minute", rate_limit)
    redis_url: str = setting("REDIS_URL", "")
    health_timeout_s: float = setting("HEALTH_TIMEOUT_S", 2.0, not_negative(number))
    openapi_cache_s: float = setting("OPENAPI_CACHE_S", 60.0, not_negative(number))
    trusted_proxies: int = setting("TRUSTED_PROXIES", 0, not_negative(whole))

    @property
    def rate_limit_storage(self) -> str:
        # Memory is per process: with several workers each keeps its own count; Redis shares one.
        return self.redis_url or "memory://"


def load_gateway_config(env: dict | None = None) -> GatewayConfig:
    """Read the environment once (None → os.environ), failing fast on a value the gateway cannot use."""
    return load_settings(env, kind=GatewayConfig)
