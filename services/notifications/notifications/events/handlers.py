"""Event handlers: record the notifications an event calls for (idempotent by event id)."""
from __future__ import annotations

from clinic_common.events import Event
from clinic_common.messaging.consumer import PermanentFailure
from clinic_common.mongo import LazyMongo

from notifications.domain.plan import plan_notifications
from notifications.store.notifications import NotificationRepository


def make_handler(mongo: LazyMongo):
    repo_holder: list[NotificationRepository] = []

    def handle(event: Event) -> None:
        if not repo_holder:
            repo_holder.append(NotificationRepository.connect(mongo.db))
        data = event.data
        if event.type.startswith("booking.") and not data.get("id"):
            raise PermanentFailure(f"{event.type} without a booking id")
        booking_id = data.get("id") if event.type.startswith("booking.") else None
        repo_holder[0].record(event, booking_id, plan_notifications(event.type, data))

    return handle
