from datetime import datetime, timezone

import pytest
from marshmallow import ValidationError

from bookings.api.schemas import BookingCreateSchema
from bookings.domain.booking import CONFIRMED, REQUESTED, is_booking_id, open_booking, public_view, status_event
from bookings.domain.tokens import hash_token, new_manage_token, token_matches

VALID = {
    "service_id": "svc-1", "provider_id": "prov-1", "location_id": "loc-1",
    "start": "2026-12-07T09:00:00-06:00",
    "patient": {"name": "Ana Diaz", "email": "ana@example.com", "phone": "+15555550123", "language": "es", "state": "AR"},
}


def _with(path, value):
    body = {**VALID, "patient": dict(VALID["patient"])}
    target = body["patient"] if path.startswith("patient.") else body
    target[path.split(".")[-1]] = value
    return body


@pytest.mark.parametrize("path, value", [
    ("patient.email", "not-an-email"),
    ("patient.phone", "555-0123"),
    ("patient.phone", "+0123456789"),
    ("patient.language", "fr"),
    ("patient.state", "XX"),
    ("patient.name", ""),
    ("start", "2026-12-07T09:00:00"),  # no offset: ambiguous wall time
    ("start", "tomorrow"),
    ("provider_id", ""),
])
def test_schema_refuses(path, value):
    with pytest.raises(ValidationError) as refused:
        BookingCreateSchema().load(_with(path, value))
    assert path.split(".")[0] in refused.value.messages


def test_schema_accepts_a_valid_request():
    loaded = BookingCreateSchema().load(VALID)
    assert loaded["start"].utcoffset().total_seconds() == -6 * 3600
    assert loaded["notes"] is None


@pytest.mark.parametrize("needs_confirmation, status", [(False, CONFIRMED), (True, REQUESTED)])
def test_a_new_booking_is_confirmed_unless_the_service_needs_staff(needs_confirmation, status):
    request = BookingCreateSchema().load(VALID)
    booking = open_booking(request, booking_id="a" * 32, token_hash="h", now=datetime.now(timezone.utc),
                           requires_confirmation=needs_confirmation)
    assert booking["status"] == status
    assert booking["start"] == datetime(2026, 12, 7, 15, 0, tzinfo=timezone.utc)


def test_views_and_events_never_carry_the_token_hash():
    request = BookingCreateSchema().load(VALID)
    booking = open_booking(request, booking_id="a" * 32, token_hash="secret-hash", now=datetime.now(timezone.utc))
    event = status_event(booking, "req-1")
    assert "manage_token_hash" not in public_view(booking)
    assert "secret-hash" not in str(event.envelope())
    assert event.type == "booking.confirmed" and event.data["start"] == "2026-12-07T15:00:00+00:00"


def test_manage_tokens_are_256_bit_and_only_match_themselves():
    token, stored = new_manage_token()
    other, _ = new_manage_token()
    assert len(token) >= 43 and stored == hash_token(token) and token not in stored
    assert token_matches(token, stored) and not token_matches(other, stored) and not token_matches(None, stored)


@pytest.mark.parametrize("value, ok", [("a" * 32, True), ("A" * 32, False), ("a" * 31, False), ("../etc", False)])
def test_booking_ids_have_one_shape(value, ok):
    assert is_booking_id(value) is ok
