"""Deliver one claimed notification and store what happened, with its notification.* event.

Exactly once in effect: a record is claimed by one sender (atomic, leased); the message goes
out; the outcome and its event are stored in one write. The only way to send twice is to die
between the server's "250 OK" and that write: then the lease runs out and another sender
resends, with the same Message-ID (email) or idempotency key (SMS) so the copy is dropped.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Callable

from pymongo.errors import ConnectionFailure

from clinic_common.events import Event
from clinic_common.logs import log_failure

from notifications.channels import OFF_REASON, DeliveryError
from notifications.content import Composer
from notifications.delivery.outcome import FAILED, RETRY, SENT, SKIPPED, WAIT, Outcome, settled_fields
from notifications.domain.appointment import InvalidEvent
from notifications.domain.order import WAIT_REASON, may_have_predecessors, must_wait, ordered_version
from notifications.domain.plan import public_view
from notifications.domain.reminders import skip_reason
from notifications.domain.sms_consent import OPTED_OUT
from notifications.store.notifications import NotificationRepository
from notifications.store.reminders import ReminderRepository
from notifications.store.sms_optouts import SmsOptOuts

log = logging.getLogger(__name__)
__all__ = ["OFF_REASON", "Sender"]


class Sender:
    def __init__(self, notes: NotificationRepository, reminders: ReminderRepository, composer: Composer,
                 channels: dict, clock: Callable[[], datetime], *, token: str, max_attempts: int,
                 retry_base_s: float, lease_s: float, optouts=None):
        """`optouts`: store/sms_optouts.py, asked before each SMS (None: the numbers beside the delivery log)."""
        self._notes, self._reminders, self._composer, self._channels = notes, reminders, composer, channels
        self._optouts = optouts if optouts is not None else _beside(notes)
        self._clock, self._token = clock, token
        self._max_attempts, self._retry_base_s, self._lease_s = max_attempts, retry_base_s, lease_s

    def deliver_next(self) -> bool:
        """Claim and deliver one due notification; False when none is due."""
        return self._deliver(self._notes.claim(self._clock(), self._lease_s, self._token))

    def deliver(self, note_id: str) -> bool:
        """Claim and deliver this notification if it is still pending and due; False when it is not."""
        return self._deliver(self._notes.claim_by_id(note_id, self._clock(), self._lease_s, self._token))

    def _deliver(self, note: dict | None) -> bool:
        if note is None:
            return False
        outcome = self._attempt(note)
        self._settle(note, outcome)
        return True

    def _attempt(self, note: dict) -> Outcome:
        channel = self._channels.get(note["channel"])
        if channel is None:
            return Outcome(SKIPPED, OFF_REASON.get(note["channel"], "no such channel"))
        if self._waits_its_turn(note):
            return Outcome(WAIT, WAIT_REASON)
        now = self._clock()
        stale = self._stale_reminder(note, now)
        if stale:
            return Outcome(SKIPPED, stale)
        if note["channel"] == "sms" and self._optouts is not None and self._optouts.is_opted_out(note["recipient"]):
            return Outcome(SKIPPED, OPTED_OUT)  # asked now: a STOP may have come after the record was written
        try:
            channel.send(note["_id"], note["recipient"], self._composer.compose(note, now))
        except DeliveryError as exc:
            return Outcome(FAILED if exc.permanent else RETRY, exc.reason)
        except InvalidEvent as exc:
            return Outcome(FAILED, f"cannot render: {exc}")
        except ConnectionFailure:
            raise
        except Exception as exc:  # a bug in one message must not stop the others; it is retried, then failed
            log_failure(log, "delivery attempt crashed", exc, notification_id=note["_id"])
            return Outcome(RETRY, f"internal error ({type(exc).__name__})")
        return Outcome(SENT)

    def _waits_its_turn(self, note: dict) -> bool:
        version = ordered_version(note)
        if not may_have_predecessors(version):
            return False  # nothing about this booking can be ahead of it: no need to ask the store
        return must_wait(version, self._notes.oldest_unsettled_version(note["booking_id"], note["channel"]))

    def _stale_reminder(self, note: dict, now: datetime) -> str:
        if note["kind"] != "reminder":
            return ""
        # A staff resend of a reminder goes while the visit is ahead, whatever became of the reminder itself.
        going_out = bool(note.get("resent_from")) or self._reminders.still_going_out(note["reminder_id"],
                                                                                     note["reminder_due"])
        return skip_reason(note.get("appointment_start"), now, going_out)

    def _settle(self, note: dict, outcome: Outcome) -> None:
        fields = settled_fields(outcome, note["attempts"], self._max_attempts, self._clock(), self._retry_base_s)
        event = None
        if fields["status"] in ("sent", "failed"):
            event = Event(type=f"notification.{fields['status']}", data=public_view({**note, **fields}),
                          request_id=note.get("request_id") or "")
        if not self._notes.settle(note, self._token, fields, event):
            log.warning("claim lost before the outcome was stored", extra={"notification_id": note["_id"]})
        log.info("notification settled", extra={"notification_id": note["_id"], "kind": note["kind"],
                                                "channel": note["channel"], "status": fields["status"],
                                                "attempts": note["attempts"], "reason": fields.get("last_error")})


def _beside(notes) -> SmsOptOuts | None:
    """The opt-outs in the delivery log's own database (None for a log with no database: a test's fake)."""
    coll = getattr(notes, "coll", None)
    return SmsOptOuts(coll.database) if coll is not None else None
