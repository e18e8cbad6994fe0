"""The one configuration loader. Every process reads the shared names declared on `Settings`; each
service declares its own names on a subclass (one place per service), read by the same loader."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from typing import Callable, TypeVar
from urllib.parse import urlsplit, urlunsplit

DEFAULT_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/%2F"
DEV_JWT_SECRET = "development-only-secret-not-for-production-use"
MIN_JWT_SECRET_BYTES = 32  # RFC 7518 §3.2: an HS256 key at least as long as the hash


class ConfigError(RuntimeError):
    """The environment cannot run this process; the message says what to set."""


# Parsers: each turns a non-empty raw value into the setting, or says what is wrong with it.
def text(raw: str, name: str) -> str:
    return raw


def upper_text(raw: str, name: str) -> str:
    return raw.upper()


def whole(raw: str, name: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None


def number(raw: str, name: str) -> float:
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from None


def flag(raw: str, name: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def positive_numbers(raw: str, name: str) -> tuple:
    """Comma-separated positive numbers, e.g. REMINDER_OFFSETS_HOURS=24,2."""
    try:
        values = tuple(float(part) for part in raw.split(",") if part.strip())
    except ValueError:
        raise ConfigError(f"{name} must be comma-separated numbers, got {raw!r}") from None
    if any(v <= 0 for v in values):
        raise ConfigError(f"{name} must list positive numbers, got {raw!r}")
    return values


def setting(name: str, default, parse: Callable[[str, str], object] = text):
    """A field read from the environment variable `name`; unset or blank means `default`."""
    return field(default=default, metadata={"env": name, "parse": parse})


@dataclass(frozen=True)
class Settings:
    """What every process of every service reads. A service that needs more declares a subclass
    with its own `setting(...)` fields (bookings/config.py, notifications/config.py, gateway/config.py)
    and loads it with `load_settings(env, kind=ThatClass)`."""
    env: str = "production"  # CLINIC_ENV, read first: it decides the JWT rule
    jwt_secret: str = ""
    service_urls: dict = field(default_factory=dict)  # LOCATIONS_URL, BOOKINGS_URL, NOTIFICATIONS_URL
    mongo_url: str = setting("MONGO_URL", "")
    amqp_url: str = setting("AMQP_URL", DEFAULT_AMQP_URL)
    gateway_port: int = setting("GATEWAY_PORT", 8080, whole)
    amqp_namespace: str = setting("AMQP_NAMESPACE", "")
    mongo_db_prefix: str = setting("MONGO_DB_PREFIX", "clinic")
    log_level: str = setting("LOG_LEVEL", "INFO", upper_text)
    mongo_timeout_ms: int = setting("MONGO_TIMEOUT_MS", 3000, whole)
    amqp_timeout_s: float = setting("AMQP_TIMEOUT_S", 3.0, number)
    upstream_connect_timeout_s: float = setting("UPSTREAM_CONNECT_TIMEOUT_S", 2.0, number)
    upstream_read_timeout_s: float = setting("UPSTREAM_READ_TIMEOUT_S", 10.0, number)
    outbox_poll_s: float = setting("OUTBOX_POLL_S", 0.05, number)
    outbox_idle_poll_s: float = setting("OUTBOX_IDLE_POLL_S", 1.0, number)
    outbox_fast_path: bool = setting("OUTBOX_FAST_PATH", True, flag)
    outbox_grace_s: float = setting("OUTBOX_GRACE_S", 2.0, number)
    heartbeat_s: float = setting("HEARTBEAT_S", 5.0, number)
    heartbeat_stale_s: float = setting("HEARTBEAT_STALE_S", 30.0, number)

    @property
    def development(self) -> bool:
        return self.env == "development"

    def db_name(self, service: str) -> str:
        """Each service owns one database; the prefix lets tests and stacks share a server."""
        return f"{self.mongo_db_prefix}_{service}"

    def with_overrides(self, **changes) -> "Settings":
        return replace(self, **changes)


SERVICE_URL_DEFAULTS = {
    "locations": "http://127.0.0.1:8081",
    "bookings": "http://127.0.0.1:8082",
    "notifications": "http://127.0.0.1:8083",
}
S = TypeVar("S", bound=Settings)


def load_settings(env: dict | None = None, needs_jwt_secret: bool = True, kind: type[S] = Settings) -> S:
    """Read the environment once into `kind`; refuse to run without a JWT secret outside development.

    Ops commands that verify no token (replay, seeding) pass needs_jwt_secret=False.
    """
    env = os.environ if env is None else env
    clinic_env = env.get("CLINIC_ENV", "production")
    declared = {f.name: _read(env, f.metadata["env"], f.default, f.metadata["parse"])
                for f in fields(kind) if "env" in f.metadata}
    return kind(env=clinic_env, jwt_secret=_jwt_secret(env, clinic_env, needs_jwt_secret),
                service_urls={name: env.get(f"{name.upper()}_URL") or default
                              for name, default in SERVICE_URL_DEFAULTS.items()}, **declared)


def _read(env, name: str, default, parse):
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    return parse(raw, name)


def _jwt_secret(env, clinic_env: str, needs_jwt_secret: bool) -> str:
    secret = env.get("JWT_SECRET", "")
    if not secret and needs_jwt_secret:
        if clinic_env != "development":
            raise ConfigError("JWT_SECRET is not set (set it, or CLINIC_ENV=development for a dev secret)")
        secret = DEV_JWT_SECRET
    if secret and len(secret.encode()) < MIN_JWT_SECRET_BYTES and clinic_env != "development":
        raise ConfigError(f"JWT_SECRET must be at least {MIN_JWT_SECRET_BYTES} bytes for HS256")
    return secret


def redact_url(url: str) -> str:
    """The URL with any password replaced, safe for a log line or a health body."""
    if not url:
        return url
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    user = parts.username or ""
    return urlunsplit((parts.scheme, f"{user}:***@{host}", parts.path, parts.query, parts.fragment))
