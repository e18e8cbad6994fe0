"""The gateway's own settings, declared on the shared Settings and read by the shared loader.

Defaults in brackets: RATE_LIMIT_ENABLED [true] · RATE_LIMIT_DEFAULT [600/minute] per client IP,
every route but /health · RATE_LIMIT_WRITES [60/minute] per client IP, POST to a collection (the
creating routes) · REDIS_URL [empty: counts in memory, per worker] · HEALTH_TIMEOUT_S [2.0] per
service probe · OPENAPI_CACHE_S [60] · TRUSTED_PROXIES [0] hops in front of the gateway whose
X-Forwarded-For / X-Forwarded-Proto may be believed.

The staff app (gateway/staff/): OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET [empty: no OpenID Connect
sign-in] · OIDC_ROLE_CLAIM [clinic_role] the claim naming staff | clinician | admin · OIDC_PROVIDER_CLAIM
[clinic_provider_id] a clinician's provider id · STAFF_SESSION_SECRET [empty: derived from JWT_SECRET]
signs the session cookie · STAFF_IDLE_MINUTES [15] a session ends after this long without a person's action.
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


def positive(parse):
    def checked(raw: str, name: str):
        value = parse(raw, name)
        if value <= 0:
            raise ConfigError(f"{name} must be more than zero, got {raw!r}")
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
    oidc_issuer: str = setting("OIDC_ISSUER", "")
    oidc_client_id: str = setting("OIDC_CLIENT_ID", "")
    oidc_client_secret: str = setting("OIDC_CLIENT_SECRET", "")
    oidc_role_claim: str = setting("OIDC_ROLE_CLAIM", "clinic_role")
    oidc_provider_claim: str = setting("OIDC_PROVIDER_CLAIM", "clinic_provider_id")
    staff_session_secret: str = setting("STAFF_SESSION_SECRET", "")
    # A number, not a whole one: the browser tests sign out after seconds, not a quarter of an hour.
    staff_idle_minutes: float = setting("STAFF_IDLE_MINUTES", 15.0, positive(number))

    @property
    def rate_limit_storage(self) -> str:
        # Memory is per process: with several workers each keeps its own count; Redis shares one.
        return self.redis_url or "memory://"


def load_gateway_config(env: dict | None = None) -> GatewayConfig:
    """Read the environment once (None → os.environ), failing fast on a value the gateway cannot use."""
    return load_settings(env, kind=GatewayConfig)
