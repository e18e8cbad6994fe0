"""bench/notify.py's pure parts (no stack, no I/O): matching an email to its booking, and how numbers print."""
from datetime import datetime, timezone

import pytest

from bench.notify import _ms, percentile
from bench.notify_sink import booking_of


def confirmation_email(booking_id: str) -> bytes:
    """A confirmation as the service builds it: its .ics from calendar_invite, its MIME from build_email."""
    from notifications.channels.email import build_email
    from notifications.content import Message
    from notifications.domain.appointment import appointment_from
    from notifications.domain.calendar import calendar_invite
    from testsupport.notifications import booking_data

    appt = appointment_from(booking_data(booking_id), "2026-12-01T12:00:00+00:00")
    ics = calendar_invite(appt, cancel=False, organizer="appointments@clinic.example", summary="Visit",
                          location="Jonesboro", description="See you", now=datetime(2026, 12, 1, tzinfo=timezone.utc))
    message = Message(subject="Confirmed", text="See you", sms="", ics=ics, ics_method="REQUEST")
    return build_email(f"{booking_id}-event:confirmation:email", "appointments@clinic.example",
                       "ana@example.com", message).as_bytes()


@pytest.mark.parametrize("booking_id", ["0f" * 16, "b" * 90])  # the second one's UID line is folded
def test_an_email_is_matched_to_its_booking_by_the_ics_uid(booking_id):
    assert booking_of(confirmation_email(booking_id)) == booking_id


def test_an_email_without_a_calendar_matches_no_booking():
    assert booking_of(b"From: a@example.com\r\nTo: b@example.com\r\nSubject: x\r\n\r\nhello\r\n") is None


def test_missing_emails_count_as_later_than_any_and_print_as_never():
    ordered = sorted([0.08] * 150 + [float("inf")] * 50)
    assert percentile(ordered, 0.5) == 0.08 and percentile(ordered, 0.95) == float("inf")
    assert [_ms(0.0834), _ms(0.0014), _ms(float("inf")), _ms(float("nan"))] == ["83 ms", "1.4 ms", "never", "n/a"]
