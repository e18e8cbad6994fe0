"""bench/notify_sink.py's and bench/pace.py's pure parts (no stack, no I/O): matching an email to its booking,
and the backlog after a burst."""
from datetime import datetime, timezone

import pytest

from bench.notify_sink import booking_of
from bench.pace import backlog_tail


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


def test_the_backlog_runs_from_the_bursts_end_to_its_last_email():
    tail = backlog_tail({"a": 9.0, "b": 12.5, "c": 3.0}, ["a", "b", "c"], ended=10.0, gave_up=40.0)
    assert tail == {"seconds": 2.5, "arrived": 3, "by_end": 2}


def test_emails_that_kept_pace_leave_no_backlog():
    assert backlog_tail({"a": 4.0}, ["a"], ended=5.0, gave_up=5.5)["seconds"] == 0.0


def test_a_missing_email_makes_the_backlog_run_until_the_bench_gave_up():
    tail = backlog_tail({"a": 6.0}, ["a", "b"], ended=5.0, gave_up=65.0)
    assert tail == {"seconds": 60.0, "arrived": 1, "by_end": 0}
