from datetime import datetime, timezone

import pytest
from marshmallow import ValidationError

from bookings.adapters.working_windows import schedule_from_answer
from bookings.api.schemas import BookingCreateSchema, BookingSchema
from bookings.domain.booking import booking_document, is_booking_id
from bookings.domain.tokens import hash_token, new_manage_token, token_matches

VALID = {
    "service_id": "svc-1", "provider_id": "prov-1", "location_id": "loc-1",
    "start": "2026-12-07T09:00:00-06:00",
    "patient": {"name": "Ana Diaz", "email": "ana@example.com", "phone": "+15555550123", "language": "es", "state": "AR"},
}
ANSWER = {
    "location": {"id": "loc-1", "name": "Jonesboro Clinic", "timezone": "America/Chicago", "phone": "+18705550100",
                 "address": {"line1": "1 Main", "city": "Jonesboro", "state": "AR", "postal_code": "72401"}},
    "modality": "in_person",
    "service": {"id": "svc-1", "name": "CBT", "duration_minutes": 50, "buffer_minutes": 10, "requires_confirmation": False},
    "providers": [{"id": "prov-1", "name": "Hannah Brooks", "credentials": "LCSW", "windows": []}],
}


def _with(path, value):
    body = {**VALID, "patient": dict(VALID["patient"])}
    target = body["patient"] if path.startswith("patient.") else body
    target[path.split(".")[-1]] = value
    return body


@pytest.mark.parametrize("path, value", [
    ("patient.email", "not-an-email"), ("patient.phone", "555-0123"), ("patient.phone", "+0123456789"),
    ("patient.language", "fr"), ("patient.state", "XX"), ("patient.name", ""),
    ("start", "2026-12-07T09:00:00"),  # no offset: an ambiguous wall time
    ("start", "tomorrow"), ("provider_id", ""),
])
def test_schema_refuses(path, value):
    with pytest.raises(ValidationError) as refused:
        BookingCreateSchema().load(_with(path, value))
    assert path.split(".")[0] in refused.value.messages


def public_view(doc):
    """The booking as the API and its events show it: its schema, dumping the stored document."""
    return BookingSchema().dump(doc)


def _document(requires_confirmation=False):
    answer = {**ANSWER, "service": {**ANSWER["service"], "requires_confirmation": requires_confirmation}}
    return booking_document(BookingCreateSchema().load(VALID), schedule_from_answer(answer), booking_id="a" * 32,
                            token_hash="secret-hash")


@pytest.mark.parametrize("needs_confirmation, status", [(False, "confirmed"), (True, "requested")])
def test_a_new_booking_is_confirmed_unless_the_visit_type_needs_staff(needs_confirmation, status):
    assert _document(needs_confirmation)["status"] == status


def test_stored_in_utc_shown_in_the_location_zone_with_offset():
    doc = _document()
    assert doc["start"] == datetime(2026, 12, 7, 15, tzinfo=timezone.utc)
    assert doc["blocked_until"] == datetime(2026, 12, 7, 16, tzinfo=timezone.utc)
    view = public_view({**doc, "created_at": datetime(2026, 12, 1, tzinfo=timezone.utc)})
    assert (view["start"], view["end"]) == ("2026-12-07T09:00:00-06:00", "2026-12-07T09:50:00-06:00")
    assert view["location"]["name"] == "Jonesboro Clinic" and view["provider"]["name"] == "Hannah Brooks"


def test_views_never_carry_the_token_hash():
    view = public_view(_document())
    assert "secret-hash" not in str(view) and "manage_token_hash" not in view


def test_manage_tokens_are_256_bit_and_only_match_themselves():
    token, stored = new_manage_token()
    other, _ = new_manage_token()
    assert len(token) >= 43 and stored == hash_token(token) and token not in stored
    assert token_matches(token, stored) and not token_matches(other, stored) and not token_matches(None, stored)


@pytest.mark.parametrize("value, ok", [("a" * 32, True), ("A" * 32, False), ("a" * 31, False), ("../etc", False)])
def test_booking_ids_have_one_shape(value, ok):
    assert is_booking_id(value) is ok


@pytest.mark.parametrize("written", ["+15555550123", "+1 (555) 555-0123", " +1-555-555-0123"])
def test_phones_are_stored_in_e164_however_they_are_written(written):
    assert BookingCreateSchema().load(_with("patient.phone", written))["patient"]["phone"] == "+15555550123"


@pytest.mark.parametrize("impossible", ["+1555", "+999999999999", "+1 555 555 0123 4567", "+44", "call me"])
def test_impossible_phones_are_refused_naming_the_field(impossible):
    with pytest.raises(ValidationError) as refused:
        BookingCreateSchema().load(_with("patient.phone", impossible))
    assert "phone" in refused.value.messages["patient"]
