"""What is particular to the notifications service: its names, queues and settings (read by the shared loader)."""
from __future__ import annotations

from dataclasses import dataclass

from clinic_common.config import ConfigError, Settings, flag, load_settings, number, positive_numbers, setting, whole
from clinic_common.messaging.consumer import ConsumerSpec

SERVICE = "notifications"
WORKER = "notifications-worker"  # the consumer: events in, records stored, ack
SENDER = "notifications-sender"  # the dispatch threads in each worker process: reminders and delivery
RELAY = "notifications-relay"  # publishes notification.sent / notification.failed
REQUEUE = "notifications-requeue"  # the ops command that gives failed notifications new attempts
WORKERS = (WORKER, SENDER, RELAY)
QUEUE = "notifications.events"
ROUTING_KEYS = ("booking.#", "appointment_request.created", "series.#", "visit.#", "waitlist.joined",
                "waitlist.offered", "waitlist.expired")
OUTBOX_COLLECTIONS = ("notifications",)


def days(raw: str, name: str) -> int:
    """A whole number of days, not negative (a link that expired before the visit would open nothing)."""
    value = whole(raw, name)
    if value < 0:
        raise ConfigError(f"{name} must be 0 or more days, got {raw!r}")
    return value


@dataclass(frozen=True)
class NotificationSettings(Settings):
    # Delivery channels: a channel without its address is off (its messages are `skipped`).
    smtp_host: str = setting("SMTP_HOST", "")
    smtp_port: int = setting("SMTP_PORT", 25, whole)
    smtp_from: str = setting("SMTP_FROM", "appointments@clinic.example")
    smtp_starttls: bool = setting("SMTP_STARTTLS", False, flag)
    smtp_username: str = setting("SMTP_USERNAME", "")
    smtp_password: str = setting("SMTP_PASSWORD", "")
    smtp_timeout_s: float = setting("SMTP_TIMEOUT_S", 10.0, number)
    sms_webhook_url: str = setting("SMS_WEBHOOK_URL", "")
    sms_timeout_s: float = setting("SMS_TIMEOUT_S", 5.0, number)
    # Patients' texts back (api/sms_inbound.py): the key the SMS gateway signs its inbound webhook with
    # (empty: every call refused), who we are and the HELP reply's phone when the number has no visit on file.
    sms_inbound_secret: str = setting("SMS_INBOUND_SECRET", "")
    practice_name: str = setting("PRACTICE_NAME", "")
    practice_phone: str = setting("PRACTICE_PHONE", "")
    # What messages say and when reminders go.
    reminder_offsets_hours: tuple = setting("REMINDER_OFFSETS_HOURS", (24.0, 2.0), positive_numbers)
    telehealth_join_base_url: str = setting("TELEHEALTH_JOIN_BASE_URL", "https://telehealth.clinic.example/join")
    # The booking page patients open from a waitlist offer (<url>#offer=<entry>.<offer>.<mac>), and the key
    # its one-step accept credential is signed with: shared with bookings, which checks it (empty: derived
    # from JWT_SECRET, as bookings derives it).
    booking_page_url: str = setting("BOOKING_PAGE_URL", "http://127.0.0.1:8080/book")
    offer_link_secret: str = setting("OFFER_LINK_SECRET", "")
    # The manage link every message about a booking carries (clinic_common/manage_links.py): its key, shared
    # with bookings, which checks it (empty: derived from JWT_SECRET), and how long after the visit it opens.
    manage_link_secret: str = setting("MANAGE_LINK_SECRET", "")
    manage_link_days_after_visit: int = setting("MANAGE_LINK_DAYS_AFTER_VISIT", 14, days)
    # The worker's pace.
    notify_prefetch: int = setting("NOTIFY_PREFETCH", 10, whole)
    notify_consumers: int = setting("NOTIFY_CONSUMERS", 2, whole)
    notify_senders: int = setting("NOTIFY_SENDERS", 2, whole)
    notify_max_attempts: int = setting("NOTIFY_MAX_ATTEMPTS", 5, whole)
    notify_retry_base_s: float = setting("NOTIFY_RETRY_BASE_S", 10.0, number)
    notify_poll_s: float = setting("NOTIFY_POLL_S", 1.0, number)
    notify_lease_s: float = setting("NOTIFY_LEASE_S", 60.0, number)


def load_notification_settings(env: dict | None = None, needs_jwt_secret: bool = True) -> NotificationSettings:
    return load_settings(env, needs_jwt_secret, kind=NotificationSettings)


def consumer_spec(settings: NotificationSettings) -> ConsumerSpec:
    """Prefetch from NOTIFY_PREFETCH; retries through the shared delay queues (1 s, 5 s, 25 s), then parking."""
    # No inbox: records are keyed by the event id and reminders are compare-and-set on the booking's version,
    # so a redelivered event rewrites nothing (tests/unit/test_handler.py and the integration tests).
    return ConsumerSpec(worker=WORKER, queue=QUEUE, routing_keys=ROUTING_KEYS, prefetch=settings.notify_prefetch,
                        inbox=False)
