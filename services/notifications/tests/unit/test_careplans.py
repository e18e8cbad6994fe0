"""A weekly series or a combined visit is told once: one confirmation listing every visit, whose calendar
file holds each visit under its booking's own UID (so a later change to one visit updates exactly it); the
bookings' own creation and plan-wide cancellation events send nothing, but still move their reminders."""
from datetime import datetime, timezone

import pytest
from icalendar import Calendar

from clinic_common.events import Event
from clinic_common.messaging.consumer import PermanentFailure

from notifications.content import Composer
from notifications.events.handlers import EventHandler, notification_docs, check
from testsupport.notifications import booking_data, series_data, visit_data

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
composer = Composer("appointments@clinic.example", "https://video.clinic.example/join")
ACROSS_MARCH = ["2027-03-04T09:00:00-06:00", "2027-03-11T09:00:00-06:00", "2027-03-18T09:00:00-05:00"]


def message(event: Event, channel="email"):
    [doc] = [d for d in notification_docs(event, check(event)) if d["channel"] == channel]
    return doc, composer.compose(doc, NOW)


def test_a_series_is_confirmed_once_listing_every_date_at_the_same_wall_clock_time():
    doc, sent = message(Event(type="series.created", data=series_data("s" * 32, ACROSS_MARCH)))
    assert doc["kind"] == "series_confirmation" and doc["booking_id"] is None and len(doc["booking_ids"]) == 3
    assert "9:00 AM CST" in sent.text and sent.text.count("9:00 AM CDT") == 1 and "weekly" in sent.text
    assert sent.subject.startswith("Confirmed: 3 visits")
    assert sent.ics_method == "PUBLISH"
    events = Calendar.from_ical(sent.ics).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [f"booking-{b}@clinic.example" for b in doc["booking_ids"]]
    assert {e.decoded("dtstart").strftime("%H:%M") for e in events} == {"09:00"}  # local wall clock kept
    assert [int(e["SEQUENCE"]) for e in events] == [1, 1, 1]


def test_a_series_confirmation_in_spanish_and_by_sms():
    event = Event(type="series.created", data=series_data("s" * 32, ACROSS_MARCH, language="es", every_weeks=2))
    _, email = message(event)
    _, sms = message(event, "sms")
    assert email.subject.startswith("Confirmadas: 3 citas") and "cada dos semanas" in email.text
    assert "9:00 a. m. CDT" in email.text and sms.sms.startswith("Jonesboro Clinic: 3 citas reservadas")


def test_a_series_cancellation_names_what_went_and_what_stays_and_updates_each_calendar_event():
    data = series_data("s" * 32, ACROSS_MARCH, statuses=["confirmed", "cancelled", "cancelled"], versions=[1, 2, 3],
                       version=2)
    doc, sent = message(Event(type="series.cancelled", data=data))
    assert doc["kind"] == "series_cancellation"
    went, stays = sent.text.split("These stay booked:")
    assert "March 11" in went and "March 18" in went and "March 4" in stays
    statuses = {str(e["UID"]): (str(e["STATUS"]), int(e["SEQUENCE"])) for e in Calendar.from_ical(sent.ics).walk("VEVENT")}
    assert sorted(statuses.values()) == [("CANCELLED", 2), ("CANCELLED", 3), ("CONFIRMED", 1)]


def test_a_combined_visit_is_confirmed_once_naming_both_parts():
    doc, sent = message(Event(type="visit.booked", data=visit_data("v" * 32)))
    assert doc["kind"] == "visit_confirmation" and doc["booking_ids"] == ["t" * 32, "m" * 32]
    assert "Individual therapy: CBT with Lucía Ramírez" in sent.text and "Medication management with Grace Okafor" in sent.text
    assert len(Calendar.from_ical(sent.ics).walk("VEVENT")) == 2
    _, spanish = message(Event(type="visit.booked", data=visit_data("v" * 32, language="es")), "sms")
    # The SMS names no visit type (lock-screen privacy): the clinic, the day, the first time and the link.
    assert spanish.sms.startswith("Jonesboro Clinic: 2 citas confirmadas, lun 7 dic, desde las 9:00 a. m. CST")
    assert "Medication" not in spanish.sms and "#manage=" in spanish.sms
    _, cancelled = message(Event(type="visit.cancelled", data=visit_data("v" * 32, status="cancelled", version=2)))
    assert cancelled.subject.startswith("Cancelled: your appointments on") and "Medication management" in cancelled.text


@pytest.mark.parametrize("event_type, fields, told", [
    ("booking.confirmed", {"series_id": "s1", "version": 1}, False),      # the series' confirmation tells it
    ("booking.confirmed", {"visit_id": "v1", "version": 1}, False),
    ("booking.cancelled", {"series_id": "s1", "version": 2, "status": "cancelled", "cancelled_with_series": True}, False),
    ("booking.cancelled", {"visit_id": "v1", "version": 2, "status": "cancelled", "cancelled_with_visit": True}, False),
    ("booking.cancelled", {"series_id": "s1", "version": 2, "status": "cancelled"}, True),  # one visit alone
    ("booking.rescheduled", {"series_id": "s1", "version": 2}, True),
    ("booking.confirmed", {"version": 1}, True),
])
def test_which_booking_events_of_a_plan_send_their_own_message(stores, event_type, fields, told):
    data = {**booking_data("b" * 32), **{k: v for k, v in fields.items() if k != "status"},
            "status": fields.get("status", "confirmed")}
    old = "2026-11-01T00:00:00+00:00"  # long enough ago that a version 2 alone is not waited for
    EventHandler(lambda: stores, (24, 2), lambda: NOW)(Event(type=event_type, data=data, occurred_at=old))
    assert bool(stores.notes.docs) == told
    assert len(stores.reminders.docs) == 2  # reminders go per visit whatever the message


def test_one_visit_of_a_series_cancelled_alone_says_only_it_went():
    data = {**booking_data("b" * 32, status="cancelled", version=2), "series_id": "s1"}
    _, sent = message(Event(type="booking.cancelled", data=data))
    assert "Only this visit is cancelled; any other visits of your series are not changed." in sent.text


def test_a_late_series_created_after_its_cancellation_tells_nothing(stores):
    handle = EventHandler(lambda: stores, (24, 2), lambda: NOW)
    handle(Event(type="series.cancelled", data=series_data("s" * 32, ACROSS_MARCH, statuses=["cancelled"] * 3,
                                                           version=2)))
    handle(Event(type="series.created", data=series_data("s" * 32, ACROSS_MARCH)))
    assert {d["kind"] for d in stores.notes.docs.values()} == {"series_cancellation"}


@pytest.mark.parametrize("data", [
    {**series_data("s" * 32, ACROSS_MARCH), "occurrences": []},
    {**series_data("s" * 32, ACROSS_MARCH), "occurrences": "soon"},
    {**series_data("s" * 32, ACROSS_MARCH), "version": 0},
])
def test_a_series_event_that_cannot_be_told_is_parked(data):
    with pytest.raises(PermanentFailure):
        EventHandler(lambda: pytest.fail("nothing is written"), (24, 2), lambda: NOW)(
            Event(type="series.created", data=data))
