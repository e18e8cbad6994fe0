import pytest

from notifications.domain.plan import mask_recipient, plan_notifications

PATIENT = {"email": "ana@example.com", "phone": "+15555550123", "language": "es"}


@pytest.mark.parametrize("event_type, kind", [
    ("booking.confirmed", "confirmation"),
    ("booking.requested", "request_received"),
    ("booking.rescheduled", "reschedule"),
    ("booking.cancelled", "cancellation"),
    ("appointment_request.created", "request_received"),
    ("booking.checked_in", None),
    ("booking.completed", None),
    ("booking.no_show", None),
    ("booking.disrupted", "booking_disrupted"),
])
def test_which_events_patients_hear_about(event_type, kind):
    planned = plan_notifications(event_type, {"id": "b1", "patient": PATIENT, "disruption": {"reason": "closure"}})
    assert [p.kind for p in planned] == ([kind, kind] if kind else [])
    assert [p.channel for p in planned] == (["email", "sms"] if kind else [])


def test_a_disruption_that_was_cleared_tells_the_patient_nothing():
    assert plan_notifications("booking.disrupted", {"id": "b1", "patient": PATIENT, "disruption": None}) == []


@pytest.mark.parametrize("patient, channels, language", [
    ({"email": "a@b.co", "language": "en"}, ["email"], "en"),
    ({"phone": "+15555550123", "language": "es"}, ["sms"], "es"),
    ({"email": "a@b.co", "language": "xx"}, ["email"], "en"),
    ({}, [], None),
])
def test_channels_follow_the_contact_details_given(patient, channels, language):
    planned = plan_notifications("booking.confirmed", {"id": "b1", "patient": patient})
    assert [p.channel for p in planned] == channels
    assert all(p.language == language for p in planned)


@pytest.mark.parametrize("channel, recipient, masked", [
    ("email", "ana@example.com", "a***@example.com"),
    ("sms", "+15555550123", "***0123"),
    ("sms", "123", "***"),
])
def test_recipients_are_masked(channel, recipient, masked):
    assert mask_recipient(channel, recipient) == masked


def test_the_service_package_ships_no_test_code():
    # Test doubles live in testsupport/ (house rule): the package imports none and holds none.
    from pathlib import Path

    import notifications

    package = Path(notifications.__file__).parent
    sources = {path.relative_to(package).as_posix(): path.read_text() for path in package.rglob("*.py")}
    assert "testing.py" not in sources
    assert not [name for name, text in sources.items() if "testsupport" in text or "aiosmtpd" in text]
