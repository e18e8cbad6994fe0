"""The consumer's handler: store what an event calls for (pending notifications, moved reminders), then ack.

Nothing is sent here. Sending happens in the dispatcher (delivery/), which claims stored
records one at a time; so an ack never waits on SMTP, and a crash after the ack loses nothing.
Every write is idempotent (deterministic ids, version-guarded reminders): a redelivered event,
or the same event handled by two workers at once, leaves the same records.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from pymongo.database import Database

from clinic_common.config import Settings
from clinic_common.events import Event
from clinic_common.messaging.consumer import NotYet, PermanentFailure
from clinic_common.mongo import LazyMongo

from notifications.channels import off_channels
from notifications.delivery.handoff import Handoff
from notifications.domain.appointment import (BOOKING_EVENTS, KNOWN_EVENTS, PLAN_EVENTS, WAITLIST_EVENTS,
                                              Appointment, InvalidEvent, appointment_from)
from notifications.domain.careplan import CarePlan, plan_from
from notifications.domain.kept import booking_snapshot, without_notes
from notifications.domain.offer_link import check_waitlist_event
from notifications.domain.order import FIRST_VERSION
from notifications.domain.plan import plan_notifications
from notifications.domain.reminders import next_state, reminder_id, reminder_slots
from notifications.domain.sms_consent import skip_fields
from notifications.store.notifications import NotificationRepository, notification_id
from notifications.store.reminders import ReminderRepository
from notifications.store.resends import BookingStates
from notifications.store.versions import APPLY, EARLY, BookingVersions

log = logging.getLogger(__name__)
SUPPORTED_VERSION = 1
CAS_TRIES = 5
# An event that comes before the one it follows (two consumers, a retry, the relay taking over) is handed
# back until that one is handled, so the patient hears every change in order; past this age it applies
# anyway (newest wins), so an event that never comes cannot hold a booking's messages up.
ORDER_WAIT_S = 5.0


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def check(event: Event) -> Appointment | CarePlan | None:
    """The visit a booking event describes, the plan of a series.* / visit.* event (None for a request);
    PermanentFailure parks the event."""
    if event.type not in KNOWN_EVENTS:
        raise PermanentFailure(f"unknown event type {event.type!r}")
    if event.version != SUPPORTED_VERSION:
        raise PermanentFailure(f"{event.type} version {event.version!r} is not supported")
    try:
        if event.type in BOOKING_EVENTS:
            return appointment_from(event.data, event.occurred_at)
        if event.type in PLAN_EVENTS:
            return plan_from(event.type, event.data, event.occurred_at)
        if event.type in WAITLIST_EVENTS:
            check_waitlist_event(event.type, event.data)
            return None
    except InvalidEvent as exc:
        raise PermanentFailure(f"{event.type}: {exc}") from None
    if not isinstance(event.data.get("patient"), dict) or not isinstance(event.data.get("id"), str):
        raise PermanentFailure(f"{event.type}: without a request id or a patient")
    return None


def notification_docs(event: Event, subject: Appointment | CarePlan | None,
                       off: dict[str, str] | None = None) -> list[dict]:
    """The records an event calls for; those on a channel that is `off` (channel -> why), and an SMS to a
    patient who gave no SMS consent, are stored as skipped at once, so no sender ever claims them."""
    off = off or {}
    if isinstance(subject, CarePlan):
        about = plan_fields(event, subject)
    elif event.type in WAITLIST_EVENTS:
        about = waitlist_fields(event)
    else:
        about = booking_fields(event, subject)
    common = {"event_id": event.id, "occurred_at": event.occurred_at, "request_id": event.request_id, **about}
    patient = event.data.get("patient")
    return [{"_id": notification_id(event.id, p.kind, p.channel), "kind": p.kind, "channel": p.channel,
             "recipient": p.recipient, "language": p.language, **common, **skip_fields(p.channel, patient, off)}
            for p in plan_notifications(event.type, event.data)]


def plan_fields(event: Event, plan: CarePlan) -> dict:
    """A plan's message: about all its bookings (the delivery log of each shows it), in no booking's order."""
    return {"event_type": event.type, "source": "plan", "data": without_notes(event.data), "booking_version": None,
            "booking_id": None, "booking_ids": plan.booking_ids, "appointment_request_id": None,
            "appointment_start": plan.visits[0].start.astimezone(timezone.utc)}


def waitlist_fields(event: Event) -> dict:
    """A waitlist entry's message: about no booking yet (an accepted offer's booking tells its own news)."""
    return {"event_type": event.type, "source": "waitlist", "data": without_notes(event.data), "booking_version": None,
            "booking_id": None, "appointment_request_id": None, "waitlist_id": event.data["id"],
            "appointment_start": None}


def booking_fields(event: Event, appt: Appointment | None) -> dict:
    """A booking's message (appt) or an appointment request's (None)."""
    if appt is None:
        return {"source": "request", "data": without_notes(event.data), "booking_version": None, "booking_id": None,
                "appointment_request_id": event.data["id"], "appointment_start": None}
    return {"source": "booking", "data": booking_snapshot(event.data), "booking_version": appt.version,
            "booking_id": appt.booking_id, "appointment_request_id": None,
            "appointment_start": appt.start.astimezone(timezone.utc)}


def due_now(docs: list[dict]) -> list[str]:
    """The ids a sender can claim at once (not those stored as skipped)."""
    return [doc["_id"] for doc in docs if doc.get("status", "pending") == "pending"]


def move_reminders(repo: ReminderRepository, event: Event, appt: Appointment, offsets, now: datetime) -> None:
    """Schedule, move or drop each of the booking's reminders to match this event."""
    carried = {"data": booking_snapshot(event.data), "occurred_at": event.occurred_at, "request_id": event.request_id}
    slots = {reminder_id(appt.booking_id, slot): slot for slot in reminder_slots(appt.start, offsets)}
    if appt.version == FIRST_VERSION:
        # A new booking has no reminders yet: insert them all in one round trip, unread. Those that exist
        # (a redelivery, or a later version handled first) go through the compare-and-set below.
        fresh = {rid: next_state(None, appt, slot, event.id, now) for rid, slot in slots.items()}
        existing = repo.insert_new({rid: {**fields, **carried} for rid, fields in fresh.items() if fields})
        slots = {rid: slot for rid, slot in slots.items() if rid in existing}
    for rid, slot in slots.items():
        for _ in range(CAS_TRIES):
            current = repo.get(rid)
            fields = next_state(current, appt, slot, event.id, now)
            if fields is None or repo.replace_if_unchanged(rid, current, {**fields, **carried}):
                break
        else:
            raise RuntimeError(f"reminder {rid} kept changing; retrying the event")


def versioned(subject: Appointment | CarePlan) -> tuple[str, int]:
    """(key, version) of what an event changes, for the applied-versions store."""
    if isinstance(subject, CarePlan):
        return subject.versions_key, subject.version
    return subject.booking_id, subject.version


@dataclass(frozen=True)
class Stores:
    """Where an event's outcome is written; the unit tests hand the handler fakes of these."""
    notes: NotificationRepository
    reminders: ReminderRepository
    versions: BookingVersions
    states: BookingStates | None = None  # each booking's newest snapshot, which a staff resend is composed from

    @classmethod
    def connect(cls, db: Database) -> "Stores":
        return cls(NotificationRepository.connect(db), ReminderRepository.connect(db), BookingVersions.connect(db),
                   BookingStates(db))


class EventHandler:
    """One event in: its notification records stored and the booking's reminders moved; the consumer acks after.

    The ids of records due now go to `handoff`, so this process's senders claim them by id at once.
    `off`: the channels this deployment does not send on (channel -> why), whose records are stored skipped.
    """

    def __init__(self, connect: Callable[[], Stores], reminder_offsets_hours, clock: Callable[[], datetime],
                 handoff: Handoff | None = None, off: dict[str, str] | None = None):
        self._connect, self._stores = connect, None
        self._offsets, self._clock, self._handoff, self._off = reminder_offsets_hours, clock, handoff, off or {}

    def __call__(self, event: Event) -> None:
        subject = check(event)
        if self._stores is None:  # indexes once, on the first event (nothing connects at import or start-up)
            self._stores = self._connect()
        stores, now = self._stores, self._clock()
        if subject is not None and not self._in_order(stores, event, subject):
            log.info("stale event ignored", extra={"event_id": event.id, "about": versioned(subject)[0]})
            return  # a newer change of this booking (or plan) was already applied: this one would tell an old story
        docs = notification_docs(event, subject, self._off)
        stores.notes.record(docs, now)
        if self._handoff is not None:
            self._handoff.offer(due_now(docs))  # senders start now; the reminders below do not hold them up
        if isinstance(subject, Appointment):  # a plan's bookings move their reminders through their own events
            move_reminders(stores.reminders, event, subject, self._offsets, now)
            if stores.states is not None:
                stores.states.keep(subject.booking_id, subject.version, booking_snapshot(event.data), now)


    @staticmethod
    def _in_order(stores: Stores, event: Event, subject: Appointment | CarePlan) -> bool:
        """Whether to apply the event now: True, False (stale), or NotYet (the one before it is still to come).

        A booking's versions are consecutive (every change has its event), so a gap means an event is on
        its way; a plan's are not (it also changes quietly), so a plan's newest simply wins."""
        key, version = versioned(subject)
        if isinstance(subject, CarePlan):
            return stores.versions.advance(key, version)
        verdict = stores.versions.take_next(key, version)
        if verdict == EARLY:
            if event_age_s(event) < ORDER_WAIT_S:
                raise NotYet(f"{key} version {version} came before the one it follows")
            return stores.versions.advance(key, version)  # waited long enough: newest wins
        return verdict == APPLY


def event_age_s(event: Event) -> float:
    """Seconds since the event happened, by the wall clock its publisher stamped it with (an unreadable
    stamp counts as old: such an event is never held back)."""
    try:
        return (datetime.now(timezone.utc) - datetime.fromisoformat(event.occurred_at)).total_seconds()
    except (TypeError, ValueError):
        return float("inf")


def make_handler(mongo: LazyMongo, settings: Settings, clock: Callable[[], datetime] = utc_now,
                 handoff: Handoff | None = None) -> EventHandler:
    return EventHandler(lambda: Stores.connect(mongo.db), settings.reminder_offsets_hours, clock, handoff,
                        off_channels(settings))
