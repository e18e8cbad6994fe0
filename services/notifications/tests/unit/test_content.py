"""What patients read: their language, the clinic's local time with its zone, where to go or how
to join, and an invite whose UID stays and whose SEQUENCE grows."""
from datetime import datetime, timezone

import pytest
from icalendar import Calendar

from notifications.content import Composer
from notifications.domain.appointment import InvalidEvent, appointment_from
from notifications.domain.wording import format_phone, local_when
from testsupport.notifications import booking_data

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
composer = Composer("appointments@clinic.example", "https://video.clinic.example/join")


def compose(kind, **booking):
    return composer.compose({"kind": kind, "data": booking_data("b" * 32, **booking), "offset_hours": 24}, NOW)


@pytest.mark.parametrize("iso, language, full", [
    ("2026-12-07T09:00:00-06:00", "en", "Monday, December 7, 2026, 9:00 AM CST"),
    ("2026-07-07T14:30:00-05:00", "en", "Tuesday, July 7, 2026, 2:30 PM CDT"),
    ("2026-12-07T09:00:00-06:00", "es", "lunes, 7 de diciembre de 2026, 9:00 a. m. CST"),
    ("2026-07-07T12:05:00-05:00", "es", "martes, 7 de julio de 2026, 12:05 p. m. CDT"),
])
def test_times_read_in_the_clinic_zone_with_its_abbreviation(iso, language, full):
    from zoneinfo import ZoneInfo

    moment = datetime.fromisoformat(iso).astimezone(ZoneInfo("America/Chicago"))
    assert local_when(moment, language)["full"] == full


def test_in_person_messages_say_where_and_telehealth_ones_how_to_join():
    in_person = compose("confirmation")
    assert "Jonesboro Clinic" in in_person.text and "Jonesboro, AR 72401" in in_person.text
    # The SMS says who, when and the manage link only (lock-screen privacy): no place details, no join link.
    assert in_person.sms.startswith("Jonesboro Clinic: Appointment confirmed, Mon, Dec 7, 9:00 AM CST.")
    online = compose("confirmation", modality="telehealth", language="es")
    assert f"https://video.clinic.example/join/{'b' * 32}" in online.text and "Caraway" not in online.text
    assert online.subject.startswith("Cita confirmada:") and "Gestionar: http" in online.sms
    assert "video.clinic.example" not in online.sms


@pytest.mark.parametrize("kind, method, has_invite", [
    ("confirmation", "REQUEST", True), ("reschedule", "REQUEST", True), ("cancellation", "CANCEL", True),
    ("reminder", "", False), ("request_received", "", False),
])
def test_which_messages_carry_an_invite(kind, method, has_invite):
    message = compose(kind)
    assert (message.ics is not None, message.ics_method) == (has_invite, method)
    if has_invite:
        [event] = Calendar.from_ical(message.ics).walk("VEVENT")
        assert str(event["UID"]) == f"booking-{'b' * 32}@clinic.example"


def test_the_invite_sequence_grows_with_the_booking_version():
    # Defect: SEQUENCE was whole seconds of updated_at, so changes within one second shared it and
    # calendars re-created a cancelled visit. It is the booking's version now.
    same_second = "2026-12-01T12:00:00+00:00"
    earlier = compose("confirmation", updated_at=same_second, version=1)
    later = compose("cancellation", updated_at=same_second, version=2, status="cancelled")
    sequences = [int(Calendar.from_ical(m.ics).walk("VEVENT")[0]["SEQUENCE"]) for m in (earlier, later)]
    assert sequences == [1, 2]


def test_a_booking_event_without_a_version_is_refused():
    data = booking_data("b" * 32)
    del data["version"]
    with pytest.raises(InvalidEvent, match="version"):
        appointment_from(data, "")


def test_a_cancellation_gives_the_reason_and_cancels_the_event():
    message = compose("cancellation", status="cancelled", language="es")
    assert "Cita cancelada" in message.subject
    [event] = Calendar.from_ical(message.ics).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"


def test_an_appointment_request_without_a_time_still_reads_well():
    message = composer.compose({"kind": "request_received", "source": "request",
                                "data": {"id": "r1", "patient": {"name": "Ana", "language": "es"}}}, NOW)
    assert message.subject == "Recibimos su solicitud de cita" and "le contactará" in message.text


@pytest.mark.parametrize("change, reason", [
    ({"id": None}, "booking id"),
    ({"patient": "ana"}, "patient"),
    ({"modality": "carrier pigeon"}, "modality"),
    ({"start": "next tuesday"}, "start is not an ISO 8601 time"),
    ({"start": "2026-12-07T09:00:00"}, "start has no UTC offset"),
    ({"location": {"name": "x"}}, "location.timezone is missing"),
])
def test_malformed_booking_data_is_refused_with_a_reason(change, reason):
    with pytest.raises(InvalidEvent, match=reason):
        appointment_from({**booking_data("b1"), **change}, "2026-12-01T12:00:00+00:00")


@pytest.mark.parametrize("version", [0, -1, 1.5, "2", True, None])
def test_a_booking_version_is_a_whole_number_from_one(version):
    # Versions order a booking's events; they are the booking's integer version, not a time
    # (times collide within a second and lose precision in BSON).
    assert appointment_from(booking_data("b1", version=7), "").version == 7
    with pytest.raises(InvalidEvent, match="version"):
        appointment_from(booking_data("b1", version=version), "")


@pytest.mark.parametrize("raw, shown", [("+18705550100", "(870) 555-0100"), ("+442079460000", "+442079460000"),
                                        (None, "")])
def test_phone_numbers_read_locally(raw, shown):
    assert format_phone(raw) == shown


def test_a_request_moved_before_confirmation_sends_no_invite():
    assert compose("reschedule", status="requested").ics is None
    assert compose("request_received", status="requested").ics is None
