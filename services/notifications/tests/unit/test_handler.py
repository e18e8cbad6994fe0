"""The consumer's handler against fakes of its repositories and clock: which records an event writes,
what it does to the booking's reminders, and that late or repeated events change nothing."""
import copy
import threading

import pytest

from clinic_common.events import Event
from clinic_common.messaging.consumer import PermanentFailure

from notifications.domain.reminders import DROPPED, SCHEDULED
from notifications.events.handlers import EventHandler
from testsupport.notifications import booking_data, utc

NOW = utc(2026, 12, 1, 12, 0)
OFFSETS = (24, 2)


@pytest.fixture
def wake():
    return threading.Event()


@pytest.fixture
def handle(stores, wake):
    return EventHandler(lambda: stores, OFFSETS, lambda: NOW, wake)


def booking_event(event_type, version, **booking):
    return Event(type=event_type, data=booking_data("b1", version=version, **booking))


def state(stores) -> tuple:
    return copy.deepcopy((stores.notes.docs, stores.reminders.docs, stores.versions.applied))


def test_a_confirmation_records_a_message_per_channel_and_schedules_the_reminders(handle, stores, wake):
    event = booking_event("booking.confirmed", 1)
    handle(event)
    assert set(stores.notes.docs) == {f"{event.id}:confirmation:email", f"{event.id}:confirmation:sms"}
    assert {d["booking_version"] for d in stores.notes.docs.values()} == {1}
    assert sorted(r["status"] for r in stores.reminders.docs.values()) == [SCHEDULED, SCHEDULED]
    assert wake.is_set()


def test_a_redelivered_event_writes_the_same_records(handle, stores):
    event = booking_event("booking.confirmed", 1)
    handle(event)
    first = state(stores)
    handle(event)
    assert state(stores) == first


def test_an_older_version_changes_nothing(handle, stores, wake):
    handle(booking_event("booking.cancelled", 2, status="cancelled"))
    before = state(stores)
    wake.clear()
    handle(booking_event("booking.confirmed", 1))  # overtaken by the cancellation: never told
    assert state(stores) == before and not wake.is_set()
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
def test_an_event_that_can_never_be_handled_is_parked_before_anything_is_written(event, wake):
    def connect():
        raise AssertionError("nothing is written for an event that is parked")

    with pytest.raises(PermanentFailure):
        EventHandler(connect, OFFSETS, lambda: NOW, wake)(event)
    assert not wake.is_set()
