"""The consumer's handler against fakes of its repositories and clock: which records an event writes,
what it does to the booking's reminders, and that late or repeated events change nothing."""
import copy

import pytest

from clinic_common.events import Event
from clinic_common.messaging.consumer import NotYet, PermanentFailure

from notifications.delivery.handoff import Handoff
from notifications.domain.reminders import DROPPED, SCHEDULED
from notifications.events.handlers import EventHandler
from testsupport.notifications import booking_data, utc

NOW = utc(2026, 12, 1, 12, 0)
OFFSETS = (24, 2)


@pytest.fixture
def handoff():
    return Handoff()


@pytest.fixture
def handle(stores, handoff):
    return EventHandler(lambda: stores, OFFSETS, lambda: NOW, handoff)


# Events in these tests happened long enough ago that one coming before its predecessor is not handed back
# to wait for it (ORDER_WAIT_S); test_an_early_event_is_handed_back_while_young covers the waiting.
LONG_AGO = "2026-11-01T00:00:00+00:00"


def booking_event(event_type, version, occurred_at=LONG_AGO, **booking):
    return Event(type=event_type, data=booking_data("b1", version=version, **booking), occurred_at=occurred_at)


def state(stores) -> tuple:
    return copy.deepcopy((stores.notes.docs, stores.reminders.docs, stores.versions.applied))


def test_a_confirmation_records_a_message_per_channel_and_schedules_the_reminders(handle, stores, handoff):
    event = booking_event("booking.confirmed", 1)
    handle(event)
    assert set(stores.notes.docs) == {f"{event.id}:confirmation:email", f"{event.id}:confirmation:sms"}
    assert {d["booking_version"] for d in stores.notes.docs.values()} == {1}
    assert sorted(r["status"] for r in stores.reminders.docs.values()) == [SCHEDULED, SCHEDULED]
    assert sorted(handoff.waiting()) == sorted(stores.notes.docs)  # the senders claim exactly these


def test_a_redelivered_event_writes_the_same_records(handle, stores):
    event = booking_event("booking.confirmed", 1)
    handle(event)
    first = state(stores)
    handle(event)
    assert state(stores) == first


def test_an_older_version_changes_nothing(handle, stores, handoff):
    handle(booking_event("booking.cancelled", 2, status="cancelled"))
    before, handed = state(stores), handoff.waiting()
    handle(booking_event("booking.confirmed", 1))  # overtaken by the cancellation: never told
    assert state(stores) == before and handoff.waiting() == handed
    assert {d["kind"] for d in stores.notes.docs.values()} == {"cancellation"}


def test_a_cancellation_drops_the_reminders(handle, stores):
    handle(booking_event("booking.confirmed", 1))
    cancel = booking_event("booking.cancelled", 2, status="cancelled")
    handle(cancel)
    assert [r["status"] for r in stores.reminders.docs.values()] == [DROPPED, DROPPED]
    assert f"{cancel.id}:cancellation:email" in stores.notes.docs


def test_a_reschedule_moves_the_reminders_to_the_new_time(handle, stores):
    handle(booking_event("booking.confirmed", 1))
    moved = booking_event("booking.rescheduled", 2, start="2026-12-09T09:00:00-06:00")
    handle(moved)
    day_before = stores.reminders.docs["b1:1440m"]
    assert (day_before["status"], day_before["due_at"], day_before["armed_by"]) == (
        SCHEDULED, utc(2026, 12, 8, 15, 0), moved.id)


def test_records_keep_no_free_text_notes(handle, stores):
    handle(booking_event("booking.confirmed", 1))
    request = Event(type="appointment_request.created",
                    data={"id": "r1", "patient": {"name": "Ana", "email": "ana@example.com"}, "notes": "private"})
    handle(request)
    kept = [doc["data"] for doc in stores.notes.docs.values()] + [r["data"] for r in stores.reminders.docs.values()]
    assert len(kept) == 5 and not [data for data in kept if "notes" in data]
    assert stores.notes.docs[f"{request.id}:request_received:email"]["appointment_request_id"] == "r1"


@pytest.mark.parametrize("event", [
    Event(type="booking.exploded", data=booking_data("b1")),
    Event(type="booking.confirmed", data=booking_data("b1"), version=2),
    Event(type="booking.confirmed", data={**booking_data("b1"), "start": "soon"}),
    Event(type="appointment_request.created", data={"id": "r1"}),
])
def test_an_event_that_can_never_be_handled_is_parked_before_anything_is_written(event, handoff):
    def connect():
        raise AssertionError("nothing is written for an event that is parked")

    with pytest.raises(PermanentFailure):
        EventHandler(connect, OFFSETS, lambda: NOW, handoff)(event)
    assert not handoff.waiting()


def test_a_channel_that_is_off_stores_its_message_as_skipped_and_hands_nothing_over(stores, handoff):
    event = booking_event("booking.confirmed", 1)
    EventHandler(lambda: stores, OFFSETS, lambda: NOW, handoff, {"sms": "SMS is off: SMS_WEBHOOK_URL is not set"})(event)
    sms = stores.notes.docs[f"{event.id}:confirmation:sms"]
    assert (sms["status"], sms["last_error"]) == ("skipped", "SMS is off: SMS_WEBHOOK_URL is not set")
    assert handoff.waiting() == [f"{event.id}:confirmation:email"]


def test_a_first_version_handled_after_a_later_one_leaves_the_later_reminders(handle, stores):
    moved = booking_event("booking.rescheduled", 2, start="2026-12-09T09:00:00-06:00")
    handle(moved)
    before = state(stores)[1]
    handle(booking_event("booking.confirmed", 1))  # its blind insert meets the stored reminders: they stay
    assert state(stores)[1] == before


def test_an_early_event_is_handed_back_while_young_and_applies_once_the_one_before_it_did(handle, stores):
    moved = booking_event("booking.rescheduled", 2, occurred_at=Event(type="x", data={}).occurred_at,
                          start="2026-12-09T09:00:00-06:00")
    with pytest.raises(NotYet):
        handle(moved)  # version 1 is still on its way: nothing written, the consumer hands it back
    assert state(stores) == ({}, {}, {})
    handle(booking_event("booking.confirmed", 1))
    handle(moved)
    assert sorted(d["kind"] for d in stores.notes.docs.values()) == ["confirmation", "confirmation",
                                                                     "reschedule", "reschedule"]
    assert stores.versions.applied == {"b1": 2}


@pytest.mark.parametrize("applied, version, verdict", [
    (0, 1, "apply"), (1, 2, "apply"), (2, 2, "apply"), (3, 2, "stale"), (0, 2, "early"), (1, 3, "early")])
def test_which_version_applies_next(applied, version, verdict):
    from notifications.store.versions import next_verdict

    assert next_verdict(applied, version) == verdict
