"""booking.disrupted (shared decision 3): the patient hears what changed, in their language, that the visit is
NOT cancelled, and what they may do (another time, telehealth when it is offered, cancel: all through the
manage link; or call). The event is a booking event like the others: ordered by the booking's version."""
from datetime import datetime, timezone

import pytest

from clinic_common.events import Event
from clinic_common.messaging.consumer import NotYet

from notifications.content import Composer
from notifications.domain.disruption import disruption_context
from notifications.domain.reminders import SCHEDULED
from notifications.events.handlers import EventHandler
from testsupport.notifications import booking_data, utc

NOW = utc(2026, 12, 1, 12, 0)
composer = Composer("appointments@clinic.example", "https://video.clinic.example/join")


def disrupted(reason="closure", telehealth=False, language="en", **fields) -> dict:
    return {**booking_data("b" * 32, language=language, version=2, **fields),
            "disruption": {"reason": reason, "detail": "for staff only", "detected_at": "2026-12-01T10:00:00+00:00",
                           "options": {"reschedule": True, "telehealth": telehealth, "cancel": True}}}


def compose(data, kind="booking_disrupted"):
    return composer.compose({"kind": kind, "data": data, "offset_hours": 24}, NOW)


@pytest.mark.parametrize("reason, language, what", [
    ("closure", "en", "Jonesboro Clinic is closed that day"),
    ("special_hours", "en", "Jonesboro Clinic keeps different hours that day, and your time is outside them"),
    ("hours", "en", "the opening hours of Jonesboro Clinic have changed and no longer include your time"),
    ("provider_schedule", "en", "Lucía Ramírez is no longer available at that time"),
    ("provider_inactive", "en", "Lucía Ramírez is no longer taking appointments"),
    ("something new", "en", "the clinic's schedule has changed and no longer fits your time"),
    ("closure", "es", "Jonesboro Clinic no abre ese día"),
    ("special_hours", "es", "Jonesboro Clinic tiene otro horario ese día y su hora queda fuera de él"),
    ("hours", "es", "el horario de Jonesboro Clinic cambió y ya no incluye su hora"),
    ("provider_schedule", "es", "Lucía Ramírez ya no está disponible a esa hora"),
    ("provider_inactive", "es", "Lucía Ramírez ya no atiende citas"),
])
def test_what_changed_is_worded_for_the_patient_never_the_staff_detail(reason, language, what):
    message = compose(disrupted(reason, language=language))
    assert f"{what}." in message.text and "for staff only" not in message.text + message.sms


def test_a_telehealth_visit_is_disrupted_by_the_clinic_not_by_a_place_called_telehealth():
    assert disruption_context({"reason": "closure"}, "en", "", "")["what"] == "the clinic is closed that day"
    assert disruption_context({"reason": "provider_inactive"}, "es", "", "")["what"] == "su profesional ya no atiende citas"
    assert disruption_context(None, "en", "x", "y") is None


@pytest.mark.parametrize("language, not_cancelled, options, telehealth_option, call", [
    ("en", "Your appointment is NOT cancelled.", ["- Another time with Lucía Ramírez.", "- Cancel the appointment."],
     "- The same time as a telehealth video visit", "Or call us at (870) 555-0100"),
    ("es", "Su cita NO está cancelada.", ["- Otra hora con Lucía Ramírez.", "- Cancelar la cita."],
     "- La misma hora como consulta por video", "O llámenos al (870) 555-0100"),
])
def test_the_message_says_it_is_not_cancelled_and_offers_the_options_through_the_link(
        language, not_cancelled, options, telehealth_option, call):
    without = compose(disrupted(language=language))
    with_telehealth = compose(disrupted(language=language, telehealth=True))
    for message in (without, with_telehealth):
        assert not_cancelled in message.text and call in message.text
        assert all(option in message.text for option in options)
        assert f"#manage={'b' * 32}.m1-b-" in message.text and f"#manage={'b' * 32}.m1-b-" in message.sms
        assert message.ics is None  # the calendar event still stands: nothing moved
    assert telehealth_option not in without.text and telehealth_option in with_telehealth.text
    assert ("NOT cancelled" if language == "en" else "NO está cancelada") in without.subject


@pytest.mark.parametrize("language, said", [("en", "(not cancelled)"), ("es", "NO cancelada")])
def test_the_sms_says_not_cancelled_and_links_the_options_without_naming_the_visit(language, said):
    sms = compose(disrupted(language=language)).sms
    assert said in sms and "#manage=" in sms and "therapy" not in sms and "Ramírez" not in sms


def test_a_reminder_of_a_disrupted_booking_repeats_what_changed():
    data = {**disrupted(), "version": 2}
    assert "Please note: Jonesboro Clinic is closed that day. Your appointment is NOT cancelled" in \
        compose(data, "reminder").text
    assert "Please note" not in compose(booking_data("b" * 32), "reminder").text


@pytest.fixture
def handle(stores):
    return EventHandler(lambda: stores, (24, 2), lambda: NOW)


def event(version, occurred_at="2026-11-01T00:00:00+00:00", **fields):
    data = disrupted(**fields) if version > 1 else booking_data("b" * 32)
    return Event(type="booking.disrupted" if version > 1 else "booking.confirmed",
                 data={**data, "version": version}, occurred_at=occurred_at)


def test_booking_disrupted_records_a_message_per_channel_and_keeps_the_reminders(handle, stores):
    handle(event(1))
    disruption = event(2)
    handle(disruption)
    kinds = {doc["kind"] for doc in stores.notes.docs.values() if doc["event_id"] == disruption.id}
    assert kinds == {"booking_disrupted"}
    assert {doc["booking_version"] for doc in stores.notes.docs.values() if doc["event_id"] == disruption.id} == {2}
    assert all(r["status"] == SCHEDULED and r["version"] == 2 for r in stores.reminders.docs.values())
    [kept] = {str(doc["data"]["disruption"]["reason"]) for doc in stores.notes.docs.values()
              if doc["event_id"] == disruption.id}
    assert kept == "closure"  # the snapshot keeps what the message (and later reminders) word


def test_booking_disrupted_waits_for_the_version_before_it_like_any_booking_event(handle, stores):
    with pytest.raises(NotYet):
        handle(event(2, occurred_at=datetime.now(timezone.utc).isoformat()))  # young: its predecessor is on its way
    assert stores.notes.docs == {}


def test_a_disruption_older_than_what_was_applied_tells_nothing(handle, stores):
    handle(event(1))
    handle(Event(type="booking.rescheduled", data=booking_data("b" * 32, version=3),
                 occurred_at="2026-11-01T00:00:00+00:00"))
    handle(event(2))  # the reschedule (v3) already cleared it
    assert "booking_disrupted" not in {doc["kind"] for doc in stores.notes.docs.values()}


def test_a_cleared_disruption_tells_nothing_and_the_next_message_does_not_wait_for_it(handle, stores):
    """booking.disruption_cleared (the closure was lifted) is a booking event with its own version: known here,
    so it is applied in order (never parked, never making the next event wait out ORDER_WAIT_S) and it sends
    nothing; later reminders no longer repeat the notice."""
    handle(event(1))
    handle(event(2))
    before = set(stores.notes.docs)
    cleared = Event(type="booking.disruption_cleared", data={**booking_data("b" * 32), "version": 3},
                    occurred_at="2026-11-01T00:00:00+00:00")
    handle(cleared)
    assert set(stores.notes.docs) == before
    moved = Event(type="booking.rescheduled", data=booking_data("b" * 32, version=4),
                  occurred_at=datetime.now(timezone.utc).isoformat())  # young: it would wait if v3 were missing
    handle(moved)
    assert {doc["kind"] for doc in stores.notes.docs.values() if doc["event_id"] == moved.id} == {"reschedule"}
