"""Fire due reminders: claim one (scheduled -> sending, leased), turn it into pending notifications,
mark it fired. A crash in between leaves the claim to expire; the retry writes the same
notification ids, so nothing goes out twice."""
from __future__ import annotations

from datetime import datetime
from typing import Callable

from notifications.delivery.handoff import Handoff
from notifications.domain.appointment import language_of
from notifications.domain.plan import recipients
from notifications.domain.reminders import FIRED, firing_verdict, offset_label
from notifications.domain.sms_consent import skip_fields
from notifications.store.notifications import NotificationRepository, notification_id
from notifications.store.reminders import ReminderRepository


def reminder_notifications(reminder: dict) -> list[dict]:
    patient = (reminder.get("data") or {}).get("patient") or {}
    common = {"kind": "reminder", "language": language_of(patient), "source": "booking",
              "booking_id": reminder["booking_id"], "appointment_request_id": None,
              "event_id": reminder["armed_by"], "occurred_at": reminder.get("occurred_at", ""),
              "request_id": reminder.get("request_id", ""), "data": reminder["data"],
              "appointment_start": reminder["start"], "offset_hours": reminder["offset_hours"],
              "reminder_id": reminder["_id"], "reminder_due": reminder["due_at"]}
    kind = f"reminder-{offset_label(reminder['offset_hours'])}"
    return [{"_id": notification_id(reminder["armed_by"], kind, channel), "channel": channel,
             "recipient": address, **common, **skip_fields(channel, patient)}  # no SMS without consent
            for channel, address in recipients(patient)]


class ReminderFirer:
    def __init__(self, reminders: ReminderRepository, notes: NotificationRepository,
                 clock: Callable[[], datetime], *, token: str, lease_s: float, handoff: Handoff | None = None):
        self._reminders, self._notes, self._clock = reminders, notes, clock
        self._token, self._lease_s, self._handoff = token, lease_s, handoff

    def fire_next(self) -> bool:
        """Handle one due reminder; False when none is due."""
        now = self._clock()
        reminder = self._reminders.claim_due(now, self._lease_s, self._token)
        if reminder is None:
            return False
        verdict = firing_verdict(reminder, now)
        if verdict == FIRED:
            docs = reminder_notifications(reminder)
            self._notes.record(docs, now)
            if self._handoff is not None:
                self._handoff.offer([doc["_id"] for doc in docs if "status" not in doc])  # not those skipped
        self._reminders.settle(reminder, self._token, verdict)
        return True
