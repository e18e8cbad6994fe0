"""What an attempt's outcome stores, and the email each notification becomes."""
from datetime import datetime, timedelta, timezone

import pytest

from notifications.channels import DeliveryError
from notifications.channels.email import EmailChannel, build_email, message_id
from notifications.config import consumer_spec, load_notification_settings
from notifications.content import Message
from notifications.delivery.outcome import FAILED, RETRY, SENT, SKIPPED, Outcome, retry_delay_s, settled_fields
from notifications.domain.plan import public_view

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("outcome, attempts, expected", [
    (Outcome(SENT), 1, {"status": "sent", "sent_at": NOW, "last_error": None}),
    (Outcome(SKIPPED, "SMS is off"), 1, {"status": "skipped", "last_error": "SMS is off"}),
    (Outcome(RETRY, "down"), 1, {"status": "pending", "last_error": "down",
                                 "next_attempt_at": NOW + timedelta(seconds=10)}),
    (Outcome(RETRY, "down"), 3, {"status": "pending", "last_error": "down",
                                 "next_attempt_at": NOW + timedelta(seconds=40)}),
    (Outcome(RETRY, "down"), 5, {"status": "failed", "last_error": "gave up after 5 attempts: down"}),
    (Outcome(FAILED, "not a valid email address"), 1, {"status": "failed", "last_error": "not a valid email address"}),
])
def test_what_each_outcome_stores(outcome, attempts, expected):
    assert settled_fields(outcome, attempts, 5, NOW, 10.0) == expected


def test_retry_delays_grow_and_are_capped():
    assert [retry_delay_s(n, 10.0) for n in (1, 2, 3, 4)] == [10.0, 20.0, 40.0, 80.0]
    assert retry_delay_s(30, 10.0) == 3600.0


def test_each_notification_has_one_stable_message_id():
    first = message_id("e1:confirmation:email", "clinic.example")
    assert first == message_id("e1:confirmation:email", "clinic.example")
    assert first != message_id("e2:confirmation:email", "clinic.example")


def test_the_invite_rides_as_a_calendar_part_with_its_method():
    email = build_email("e1:cancellation:email", "appointments@clinic.example", "ana@example.com",
                        Message("Cancelled", "Body\n", "sms", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "CANCEL"))
    [part] = [p for p in email.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "CANCEL" and part.get_filename() == "appointment.ics"
    assert email["Auto-Submitted"] == "auto-generated" and email["Message-ID"].endswith("@clinic.example>")


def test_an_invalid_address_fails_for_good_without_a_connection():
    channel = EmailChannel(load_notification_settings({"CLINIC_ENV": "development", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": "1"}))
    with pytest.raises(DeliveryError) as refused:
        channel.send("n1", "ana at example.com", Message("s", "t", "m"))
    assert refused.value.permanent and refused.value.reason == "not a valid email address"


def test_records_show_masked_addresses_and_public_statuses():
    view = public_view({"_id": "n1", "channel": "email", "recipient": "ana@example.com", "status": "sending",
                        "attempts": 1, "kind": "confirmation", "sent_at": None, "created_at": NOW})
    assert (view["recipient"], view["status"], view["created_at"]) == ("a***@example.com", "pending", NOW.isoformat())


def test_prefetch_comes_from_config():
    settings = load_notification_settings({"CLINIC_ENV": "development", "NOTIFY_PREFETCH": "3"})
    assert consumer_spec(settings).prefetch == 3
    assert consumer_spec(settings).routing_keys == ("booking.#", "appointment_request.created", "series.#", "visit.#",
                                                    "waitlist.joined", "waitlist.offered", "waitlist.expired")
