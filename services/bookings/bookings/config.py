"""What is particular to the bookings service; everything else comes from clinic_common.config."""
from __future__ import annotations

from datetime import timedelta

from clinic_common.config import Settings
from clinic_common.messaging.consumer import ConsumerSpec

from bookings.domain.slots import Policy

SERVICE = "bookings"
RELAY, WORKER = "bookings-relay", "bookings-worker"
WORKERS = (RELAY, WORKER)
OUTBOX_COLLECTIONS = ("bookings", "appointment_requests")
# Schedule changes at locations make cached working windows stale (see schedules.py).
CONSUMER = ConsumerSpec(worker=WORKER, queue="bookings.schedule-changes",
                        routing_keys=("location.#", "provider.#", "service.#"))


def booking_policy(settings: Settings) -> Policy:
    """MIN_NOTICE_HOURS [24] and BOOKING_HORIZON_DAYS [90], read by the shared config loader."""
    return Policy(min_notice=timedelta(hours=settings.min_notice_hours),
                  horizon=timedelta(days=settings.booking_horizon_days))
