"""The one configuration loader: every process reads the same environment names (API.md)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit, urlunsplit

DEFAULT_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/%2F"
DEV_JWT_SECRET = "development-only-secret-not-for-production-use"
MIN_JWT_SECRET_BYTES = 32  # RFC 7518 §3.2: an HS256 key at least as long as the hash


class ConfigError(RuntimeError):
    """The environment cannot run this process; the message says what to set."""


def _number(env, name, default, kind=float):
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        return kind(raw)
    except ValueError:
        noun = "a whole number" if kind is int else "a number"
        raise ConfigError(f"{name} must be {noun}, got {raw!r}") from None


def _int(env, name, default):
    return _number(env, name, default, int)


def _float(env, name, default):
    return _number(env, name, default, float)


def _bool(env, name, default):
    raw = (env.get(name) or "").strip().lower()
    if raw == "":
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def _floats(env, name, default):
    """Comma-separated positive numbers, e.g. REMINDER_OFFSETS_HOURS=24,2."""
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        values = tuple(float(part) for part in raw.split(",") if part.strip())
    except ValueError:
        raise ConfigError(f"{name} must be comma-separated numbers, got {raw!r}") from None
    if any(v <= 0 for v in values):
        raise ConfigError(f"{name} must list positive numbers, got {raw!r}")
    return values


@dataclass(frozen=True)
class Settings:
    env: str = "production"
    mongo_url: str = ""
    amqp_url: str = DEFAULT_AMQP_URL
    gateway_port: int = 8080
    jwt_secret: str = ""
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_from: str = "appointments@clinic.example"
    sms_webhook_url: str = ""
    redis_url: str = ""
    amqp_namespace: str = ""
    mongo_db_prefix: str = "clinic"
    log_level: str = "INFO"
    mongo_timeout_ms: int = 3000
    amqp_timeout_s: float = 3.0
    service_urls: dict = field(default_factory=dict)
    upstream_connect_timeout_s: float = 2.0
    upstream_read_timeout_s: float = 10.0
    outbox_poll_s: float = 0.05
    outbox_idle_poll_s: float = 1.0
    outbox_fast_path: bool = True
    outbox_grace_s: float = 2.0
    heartbeat_s: float = 5.0
    heartbeat_stale_s: float = 30.0
    min_notice_hours: float = 24.0
    booking_horizon_days: float = 90.0
    # Notifications: delivery channels, reminders, and the worker's pace.
    smtp_starttls: bool = False
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_timeout_s: float = 10.0
    sms_timeout_s: float = 5.0
    reminder_offsets_hours: tuple = (24.0, 2.0)
    telehealth_join_base_url: str = "https://telehealth.clinic.example/join"
    notify_prefetch: int = 10
    notify_senders: int = 2
    notify_max_attempts: int = 5
    notify_retry_base_s: float = 10.0
    notify_poll_s: float = 1.0
    notify_lease_s: float = 60.0

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


def load_settings(env: dict | None = None, needs_jwt_secret: bool = True) -> Settings:
    """Read the environment once; refuse to run without a JWT secret outside development.

    Ops commands that verify no token (replay, seeding) pass needs_jwt_secret=False.
    """
    env = os.environ if env is None else env
    clinic_env = env.get("CLINIC_ENV", "production")
    secret = env.get("JWT_SECRET", "")
    if not secret and needs_jwt_secret:
        if clinic_env != "development":
            raise ConfigError("JWT_SECRET is not set (set it, or CLINIC_ENV=development for a dev secret)")
        secret = DEV_JWT_SECRET
    if secret and len(secret.encode()) < MIN_JWT_SECRET_BYTES and clinic_env != "development":
        raise ConfigError(f"JWT_SECRET must be at least {MIN_JWT_SECRET_BYTES} bytes for HS256")
    return Settings(
        env=clinic_env,
        mongo_url=env.get("MONGO_URL", ""),
        amqp_url=env.get("AMQP_URL") or DEFAULT_AMQP_URL,
        gateway_port=_int(env, "GATEWAY_PORT", 8080),
        jwt_secret=secret,
        smtp_host=env.get("SMTP_HOST", ""),
        smtp_port=_int(env, "SMTP_PORT", 25),
        smtp_from=env.get("SMTP_FROM") or "appointments@clinic.example",
        sms_webhook_url=env.get("SMS_WEBHOOK_URL", ""),
        redis_url=env.get("REDIS_URL", ""),
        amqp_namespace=env.get("AMQP_NAMESPACE", ""),
        mongo_db_prefix=env.get("MONGO_DB_PREFIX") or "clinic",
        log_level=(env.get("LOG_LEVEL") or "INFO").upper(),
        mongo_timeout_ms=_int(env, "MONGO_TIMEOUT_MS", 3000),
        amqp_timeout_s=_float(env, "AMQP_TIMEOUT_S", 3.0),
        service_urls={
            name: env.get(f"{name.upper()}_URL") or default
            for name, default in SERVICE_URL_DEFAULTS.items()
        },
        upstream_connect_timeout_s=_float(env, "UPSTREAM_CONNECT_TIMEOUT_S", 2.0),
        upstream_read_timeout_s=_float(env, "UPSTREAM_READ_TIMEOUT_S", 10.0),
        outbox_poll_s=_float(env, "OUTBOX_POLL_S", 0.05),
        outbox_idle_poll_s=_float(env, "OUTBOX_IDLE_POLL_S", 1.0),
        outbox_fast_path=_bool(env, "OUTBOX_FAST_PATH", True),
        outbox_grace_s=_float(env, "OUTBOX_GRACE_S", 2.0),
        heartbeat_s=_float(env, "HEARTBEAT_S", 5.0),
        heartbeat_stale_s=_float(env, "HEARTBEAT_STALE_S", 30.0),
        min_notice_hours=_float(env, "MIN_NOTICE_HOURS", 24.0),
        booking_horizon_days=_float(env, "BOOKING_HORIZON_DAYS", 90.0),
        smtp_starttls=_bool(env, "SMTP_STARTTLS", False),
        smtp_username=env.get("SMTP_USERNAME", ""),
        smtp_password=env.get("SMTP_PASSWORD", ""),
        smtp_timeout_s=_float(env, "SMTP_TIMEOUT_S", 10.0),
        sms_timeout_s=_float(env, "SMS_TIMEOUT_S", 5.0),
        reminder_offsets_hours=_floats(env, "REMINDER_OFFSETS_HOURS", (24.0, 2.0)),
        telehealth_join_base_url=env.get("TELEHEALTH_JOIN_BASE_URL") or "https://telehealth.clinic.example/join",
        notify_prefetch=_int(env, "NOTIFY_PREFETCH", 10),
        notify_senders=_int(env, "NOTIFY_SENDERS", 2),
        notify_max_attempts=_int(env, "NOTIFY_MAX_ATTEMPTS", 5),
        notify_retry_base_s=_float(env, "NOTIFY_RETRY_BASE_S", 10.0),
        notify_poll_s=_float(env, "NOTIFY_POLL_S", 1.0),
        notify_lease_s=_float(env, "NOTIFY_LEASE_S", 60.0),
    )


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
