"""What is particular to the bookings service: its names, queues and settings (read by the shared loader)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from clinic_common import manage_links
from clinic_common.config import Settings, load_settings, number, setting, whole
from clinic_common.messaging.consumer import ConsumerSpec

from bookings.domain.policy import ChangePolicy
from bookings.domain.slots import Policy
from bookings.domain.waitlist import link_key

SERVICE = "bookings"
RELAY, WORKER = "bookings-relay", "bookings-worker"
WORKERS = (RELAY, WORKER)
OUTBOX_COLLECTIONS = ("bookings", "appointment_requests", "series", "visits", "waitlist")
# Schedule changes at locations make cached working windows stale (see schedules.py); a cancelled or
# moved booking frees a slot the waitlist may offer (events/handlers.py).
CONSUMER = ConsumerSpec(worker=WORKER, queue="bookings.schedule-changes",
                        routing_keys=("location.#", "provider.#", "service.#", "booking.cancelled",
                                      "booking.rescheduled"))


@dataclass(frozen=True)
class BookingSettings(Settings):
    min_notice_hours: float = setting("MIN_NOTICE_HOURS", 24.0, number)
    booking_horizon_days: float = setting("BOOKING_HORIZON_DAYS", 90.0, number)
    # How far ahead a series' later occurrences may run (its first visit keeps BOOKING_HORIZON_DAYS).
    series_horizon_days: float = setting("SERIES_HORIZON_DAYS", 182.0, number)
    # How long a hold keeps its slot for the patient filling in the form; how many one client may keep at once.
    hold_minutes: float = setting("HOLD_MINUTES", 10.0, number)
    holds_per_client: int = setting("HOLDS_PER_CLIENT", 2, whole)
    # Inside this many hours of a visit a patient can no longer cancel or move it online (domain/policy.py).
    cancel_cutoff_hours: float = setting("CANCEL_CUTOFF_HOURS", 24.0, number)
    # How long a waitlist offer holds its slot for the one patient it was made to.
    offer_minutes: float = setting("OFFER_MINUTES", 15.0, number)
    # Signs the one-step accept link of an offer (shared with notifications, which mints it); empty:
    # derived from JWT_SECRET, which every process of the stack already shares.
    offer_link_secret: str = setting("OFFER_LINK_SECRET", "")
    # Signs the manage link in every message (clinic_common/manage_links.py: notifications mints, bookings
    # checks); empty: derived from JWT_SECRET. Shared with notifications, as the days are: bookings reads
    # the expiry from the credential itself, and keeps the days so one value is set for both services.
    manage_link_secret: str = setting("MANAGE_LINK_SECRET", "")
    manage_link_days_after_visit: int = setting("MANAGE_LINK_DAYS_AFTER_VISIT", 14, whole)
    # Who the patient agrees to get texts from (domain/sms_consent.py words the consent with it).
    practice_name: str = setting("PRACTICE_NAME", "")  # empty: "the clinic" / "la clínica"


def load_booking_settings(env: dict | None = None) -> BookingSettings:
    return load_settings(env, kind=BookingSettings)


def booking_policy(settings: BookingSettings) -> Policy:
    """How far ahead and how soon a patient may book (MIN_NOTICE_HOURS, BOOKING_HORIZON_DAYS)."""
    return Policy(min_notice=timedelta(hours=settings.min_notice_hours),
                  horizon=timedelta(days=settings.booking_horizon_days))


def offer_link_key(settings: Settings) -> bytes:
    """The key of the offer links' MAC (notifications derives the same from the same settings)."""
    return link_key(settings.offer_link_secret, settings.jwt_secret)


def manage_link_key(settings: Settings) -> bytes:
    """The key of the manage links' MAC (notifications derives the same from the same settings)."""
    return manage_links.link_key(settings.manage_link_secret, settings.jwt_secret)


def change_policy(settings: BookingSettings) -> ChangePolicy:
    """Until when a patient may cancel or move a visit online (CANCEL_CUTOFF_HOURS)."""
    return ChangePolicy(cancel_cutoff=timedelta(hours=settings.cancel_cutoff_hours))
