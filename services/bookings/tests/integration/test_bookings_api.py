"""POST and GET /bookings: the slot rules enforced, refusals writing nothing, access by role or token."""
import pytest

from clinic_common.runner import build_relay

from bookings.config import OUTBOX_COLLECTIONS


def test_a_booking_is_stored_with_its_event_and_relayed(settings, client, db, event_tap, booking_body):
    tap = event_tap("booking.*")
    response = client.post("/api/v1/bookings", json=booking_body(), headers={"X-Request-ID": "req-book-1"})
    assert response.status_code == 201, response.json
    created = response.json
    assert created["status"] == "confirmed" and created["manage_token"]
    assert created["start"] == "2026-12-07T09:00:00-06:00" and created["end"] == "2026-12-07T09:50:00-06:00"
    assert created["location"]["name"] == "Jonesboro Clinic" and created["modality"] == "in_person"
    stored = db.bookings.find_one({"_id": created["id"]})
    assert [e["type"] for e in stored["outbox"]] == ["booking.confirmed"]
    assert created["manage_token"] not in str(stored)

    relay = build_relay(settings, "bookings", OUTBOX_COLLECTIONS)
    assert relay.relay_once() == 1
    relay.close()
    [(props, body)] = tap.drain(1)
    assert props.headers["request_id"] == "req-book-1" and body["data"]["id"] == created["id"]
    assert "manage_token" not in str(body)


def test_intake_needs_staff_confirmation(client, booking_body):
    response = client.post("/api/v1/bookings", json=booking_body(service="intake", start="2026-12-07T10:00:00-06:00"))
    assert response.status_code == 201 and response.json["status"] == "requested"


@pytest.mark.parametrize("changes, field", [
    ({"service": "no-such-service"}, "service_id"),
    ({"location": "no-such-place"}, "location_id"),
    ({"provider": "nobody"}, "provider_id"),
    ({"provider": "grace-okafor"}, "provider_id"),                    # a prescriber cannot do CBT
    ({"start": "2026-12-07T09:30:00-06:00"}, "start"),               # off the hourly grid
    ({"start": "2026-12-07T07:00:00-06:00"}, "start"),               # before opening
    ({"start": "2026-12-07T16:30:00-06:00"}, "start"),               # would end after closing
    ({"start": "2026-12-08T09:00:00-06:00"}, "start"),               # Hannah is not in Jonesboro on Tuesdays
    ({"start": "2026-11-30T09:00:00-06:00"}, "start"),               # in the past
    ({"location": "telehealth", "start": "2026-12-01T17:00:00-06:00"}, "start"),  # 11 hours ahead: under 24 h notice
    ({"start": "2027-03-08T09:00:00-06:00"}, "start"),               # beyond the 90-day horizon
    ({"location": "telehealth", "provider": "rachel-kim", "service": "med-follow-up",
      "start": "2026-12-07T09:00:00-06:00"}, "provider_id"),          # licensed in DE and MD, the patient is in AR
    ({"email": "not-an-email"}, "patient"),
    ({"phone": "555 0123"}, "patient"),
])
def test_a_slot_that_never_was_is_422_and_nothing_is_written(client, db, changes, field, booking_body):
    response = client.post("/api/v1/bookings", json=booking_body(**changes))
    assert response.status_code == 422, response.json
    assert response.content_type == "application/problem+json" and field in response.json["errors"]
    assert db.bookings.count_documents({}) == 0
    assert all(not doc.get("busy") for doc in db.provider_ledgers.find())


def test_telehealth_with_a_licensed_provider_is_booked_in_the_patient_state(client, booking_body):
    response = client.post("/api/v1/bookings", json=booking_body(
        location="telehealth", provider="rachel-kim", service="med-follow-up", start="2026-12-07T09:30:00-06:00",
        state="MD"))
    assert response.status_code == 201, response.json
    assert response.json["modality"] == "telehealth"


def test_a_taken_slot_is_409_even_for_another_length(client, book, db, booking_body):
    book()
    overlapping = booking_body(service="intake", start="2026-12-07T09:00:00-06:00")
    response = client.post("/api/v1/bookings", json=overlapping)
    assert response.status_code == 409 and response.content_type == "application/problem+json"
    assert db.bookings.count_documents({}) == 1


def test_reading_needs_staff_the_own_clinician_or_the_booking_token(client, book, staff, clinician):
    first, second = book(), book(start="2026-12-07T10:00:00-06:00")
    path = f"/api/v1/bookings/{first['id']}"
    assert client.get(path, headers={"X-Manage-Token": first["manage_token"]}).status_code == 200
    assert client.get(path, headers=staff).json["patient"]["name"] == "Ana Diaz"
    assert client.get(path, headers=clinician("hannah-brooks")).status_code == 200
    for headers in ({}, {"X-Manage-Token": second["manage_token"]}, {"X-Manage-Token": "wrong"},
                    clinician("grace-okafor")):
        refused = client.get(path, headers=headers)
        assert refused.status_code == 404 and refused.content_type == "application/problem+json"
    assert client.get("/api/v1/bookings/not-an-id", headers=staff).status_code == 404


def test_staff_list_by_filters_and_clinicians_see_only_their_own(client, book, staff, clinician):
    book()
    book(provider="miguel-santos", start="2026-12-08T09:00:00-06:00")
    everyone = client.get("/api/v1/bookings?location_id=jonesboro&from=2026-12-07T00:00:00-06:00"
                          "&to=2026-12-09T00:00:00-06:00", headers=staff).json["bookings"]
    assert sorted(b["provider_id"] for b in everyone) == ["hannah-brooks", "miguel-santos"]
    own = client.get("/api/v1/bookings", headers=clinician("miguel-santos")).json["bookings"]
    assert [b["provider_id"] for b in own] == ["miguel-santos"]
    assert client.get("/api/v1/bookings").status_code == 401
    assert client.get("/api/v1/bookings?status=bogus", headers=staff).status_code == 422


@pytest.mark.parametrize("payload, status", [("{broken", 400), ('{"service_id": "x"}', 422), ("[1, 2]", 422)])
def test_malformed_requests(client, db, payload, status):
    response = client.post("/api/v1/bookings", data=payload, content_type="application/json")
    assert response.status_code == status and response.json["request_id"]
    assert db.bookings.count_documents({}) == 0


def test_an_impossible_phone_is_422_naming_the_field_and_a_written_out_one_is_stored_in_e164(client, booking_body):
    refused = client.post("/api/v1/bookings", json=booking_body(phone="+1 555"))
    assert refused.status_code == 422 and "phone" in refused.json["errors"]["patient"], refused.json
    booked = client.post("/api/v1/bookings", json=booking_body(phone="+1 (555) 555-0123"))
    assert booked.status_code == 201 and booked.json["patient"]["phone"] == "+15555550123", booked.json
