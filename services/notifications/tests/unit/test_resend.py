"""Which message staff may send again, and what the resend record is (domain/resend.py)."""
from datetime import datetime, timezone

import pytest

from notifications.channels import OFF_REASON
from notifications.domain.reminders import skip_reason
from notifications.domain.resend import ResendRefused, resend_record
from notifications.domain.sms_consent import NO_CONSENT, OPTED_OUT
from testsupport.notifications import booking_data

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


def original(**fields):
    return {"_id": "ev1:confirmation:email", "kind": "confirmation", "channel": "email", "event_id": "ev1",
            "source": "booking", "booking_id": "b1", "status": "sent", "recipient": "old@example.com",
            "data": booking_data("b1"), "booking_version": 1, "request_id": "r1", **fields}


def resend(note, state=None, off=None, opted_out=lambda number: False, pending=False):
    return resend_record(note, booking_data("b1") if state is None else state, "new", NOW, off or {}, opted_out,
                         pending)


def test_a_sent_confirmation_goes_again_to_the_current_address_linked_to_the_original():
    state = booking_data("b1", version=3, email="new@example.com", language="es")
    doc = resend(original(), state)
    assert doc["resent_from"] == "ev1:confirmation:email" and doc["_id"] == "new"
    assert doc["recipient"] == "new@example.com" and doc["language"] == "es" and doc["data"] is state
    assert doc["kind"] == "confirmation" and doc["channel"] == "email" and doc["booking_version"] is None
    assert doc["appointment_start"] == datetime(2026, 12, 7, 15, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("status, reason", [("failed", "550 mailbox unavailable"), ("skipped", OFF_REASON["email"]),
                                            ("skipped", NO_CONSENT), ("skipped", OPTED_OUT)])
def test_failed_and_fixably_skipped_messages_go_again(status, reason):
    assert resend(original(status=status, last_error=reason))["resent_from"]


@pytest.mark.parametrize("note, state, words", [
    (original(status="pending"), None, "still on its way"),
    (original(status="sending"), None, "still on its way"),
    (original(status="skipped", last_error="the appointment had already started"), None, "skipped on purpose"),
    (original(source="plan", booking_id=None), None, "booking's own messages"),
    (original(), booking_data("b1", status="cancelled"), "booking is cancelled"),
    (original(), booking_data("b1", status="completed"), "booking is completed"),
    (original(), booking_data("b1", start="2026-11-30T09:00:00-06:00"), "visit is over"),
    (original(kind="booking_disrupted"), booking_data("b1"), "no longer disrupted"),
    (original(), booking_data("b1", email=None), "no email address"),
])
def test_refusals_say_why(note, state, words):
    with pytest.raises(ResendRefused, match=words):
        resend(note, state)


def test_a_second_resend_waits_for_the_first():
    with pytest.raises(ResendRefused, match="already being sent again"):
        resend(original(), pending=True)


def test_an_sms_never_goes_without_consent_nor_to_a_number_that_replied_stop():
    sms = original(_id="ev1:confirmation:sms", channel="sms", status="skipped", last_error=NO_CONSENT)
    with pytest.raises(ResendRefused, match="not agreed to texts"):
        resend(sms, booking_data("b1", sms_consent=None))
    with pytest.raises(ResendRefused, match="replied STOP"):
        resend(sms, opted_out=lambda number: number == "+15555550123")
    assert resend(sms)["recipient"] == "+15555550123"


def test_a_channel_that_is_off_is_said_after_the_patients_own_refusal_of_texts():
    with pytest.raises(ResendRefused, match="SMTP_HOST"):
        resend(original(), off=OFF_REASON)
    sms = original(_id="ev1:confirmation:sms", channel="sms", status="skipped", last_error=OFF_REASON["sms"])
    with pytest.raises(ResendRefused, match="SMS_WEBHOOK_URL"):
        resend(sms, off=OFF_REASON)
    with pytest.raises(ResendRefused, match="not agreed to texts"):
        resend(sms, booking_data("b1", sms_consent=None), off=OFF_REASON)


def test_a_resent_reminder_still_goes_while_the_visit_is_ahead():
    doc = resend(original(kind="reminder", offset_hours=24, reminder_id="b1:1440m", reminder_due="x"))
    assert doc["offset_hours"] == 24 and doc["reminder_id"] == "b1:1440m"
    assert skip_reason(doc["appointment_start"], NOW, True) == ""
