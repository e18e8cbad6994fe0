"""Combined visits against the demo practice and the real datastore: availability pairs, booking both
parts or none, reading with the visit's token, the visit.booked event, and bad input changing nothing.

Monday 7 December at Jonesboro: Hannah Brooks (therapist) and Grace Okafor (prescriber) both work there."""
from datetime import datetime, timedelta

import pytest

from clinic_common.runner import build_relay

from bookings.config import OUTBOX_COLLECTIONS

from .conftest import PATIENT

COMBINED = "/api/v1/availability/combined?location_id=jonesboro&from=2026-12-07&to=2026-12-07"
PAIR = "service_ids=therapy-cbt,med-follow-up"


def visit_body(therapy="2026-12-07T09:00:00-06:00", meds="2026-12-07T10:00:00-06:00", therapist="hannah-brooks",
               prescriber="grace-okafor", meds_service="med-follow-up", location="jonesboro", **extra):
    return {"patient": dict(PATIENT), "location_id": location, "notes": "anxious about meds",
            "parts": [{"service_id": "therapy-cbt", "provider_id": therapist, "start": therapy},
                      {"service_id": meds_service, "provider_id": prescriber, "start": meds}], **extra}


def _nothing_written(db):
    assert db.visits.count_documents({}) == 0 and db.bookings.count_documents({}) == 0
    assert all(not doc.get("busy") for doc in db.provider_ledgers.find())


def test_combined_availability_pairs_either_order_same_day_different_providers_within_the_gap(client):
    response = client.get(f"{COMBINED}&{PAIR}")
    assert response.status_code == 200, response.json
    options = response.json["options"]
    assert options and response.json["truncated"] is False
    for option in options:
        first, second = option["parts"]
        assert set(first) == {"start", "end", "provider_id", "location_id", "modality", "service_id"}
        assert {part["provider_id"]: part["service_id"] for part in option["parts"]} == {
            "hannah-brooks": "therapy-cbt", "grace-okafor": "med-follow-up"}  # each part names its service
        assert first["provider_id"] != second["provider_id"] and first["start"][:10] == second["start"][:10]
        gap = datetime.fromisoformat(second["start"]) - datetime.fromisoformat(first["end"])
        assert timedelta(0) <= gap <= timedelta(minutes=30)
    orders = {(o["parts"][0]["provider_id"], o["parts"][1]["provider_id"]) for o in options}
    assert orders == {("hannah-brooks", "grace-okafor"), ("grace-okafor", "hannah-brooks")}
    assert {"start": "2026-12-07T09:00:00-06:00", "end": "2026-12-07T09:50:00-06:00", "provider_id": "hannah-brooks",
            "location_id": "jonesboro", "modality": "in_person", "service_id": "therapy-cbt"} in [
        o["parts"][0] for o in options]
    wider = client.get(f"{COMBINED}&{PAIR}&max_gap_minutes=120").json["options"]
    assert len(wider) > len(options)


def test_a_booked_part_is_no_longer_offered(client, book):
    book(provider="grace-okafor", service="med-follow-up", start="2026-12-07T10:00:00-06:00")
    options = client.get(f"{COMBINED}&{PAIR}").json["options"]
    assert all(p["start"] != "2026-12-07T10:00:00-06:00" or p["provider_id"] != "grace-okafor"
               for o in options for p in o["parts"])


def test_telehealth_pairs_only_providers_licensed_where_the_patient_is(client):
    """Rachel Kim (DE, MD) prescribes by telehealth on weekdays; every therapist is licensed in AR only."""
    url = "/api/v1/availability/combined?location_id=telehealth&from=2026-12-07&to=2026-12-11&" + PAIR
    assert client.get(url + "&patient_state=DE").json["options"] == []
    assert client.get(url).status_code == 422  # telehealth needs the patient's state


@pytest.mark.parametrize("query", [
    "service_ids=therapy-cbt", "service_ids=therapy-cbt,med-follow-up,intake", "service_ids=therapy-cbt,therapy-cbt",
    f"{PAIR}&max_gap_minutes=121", f"{PAIR}&max_gap_minutes=-1", "service_ids=", "service_ids=nope,med-follow-up"])
def test_bad_combined_queries_are_422_problems(client, query):
    response = client.get(f"{COMBINED}&{query}")
    assert response.status_code == 422 and response.content_type == "application/problem+json", response.json


def test_combined_ranges_are_capped_like_availability(client):
    response = client.get(f"/api/v1/availability/combined?{PAIR}&location_id=jonesboro&from=2026-12-07&to=2027-01-07")
    assert response.status_code == 422 and "to" in response.json["errors"]


def test_a_visit_books_both_parts_under_one_token_and_announces_itself(settings, client, db, staff, event_tap):
    tap = event_tap("visit.*")
    response = client.post("/api/v1/visits", json=visit_body())
    assert response.status_code == 201, response.json
    visit, token = response.json, {"X-Manage-Token": response.json["manage_token"]}
    assert visit["status"] == "booked" and visit["modality"] == "in_person"
    assert [(b["provider_id"], b["start"]) for b in visit["bookings"]] == [
        ("hannah-brooks", "2026-12-07T09:00:00-06:00"), ("grace-okafor", "2026-12-07T10:00:00-06:00")]
    assert {b["visit_id"] for b in visit["bookings"]} == {visit["id"]}
    for booking in visit["bookings"]:  # the visit's token manages each part, through the usual access checks
        assert client.get(f"/api/v1/bookings/{booking['id']}", headers=token).status_code == 200
    assert client.get(f"/api/v1/visits/{visit['id']}", headers=token).json["bookings"] == visit["bookings"]
    assert client.get(f"/api/v1/visits/{visit['id']}", headers=staff).status_code == 200
    stored = db.visits.find_one({"_id": visit["id"]})
    assert "plan" not in stored and [e["type"] for e in stored["outbox"]] == ["visit.booked"]
    assert visit["manage_token"] not in str(stored) + str(list(db.bookings.find()))

    relay = build_relay(settings, "bookings", OUTBOX_COLLECTIONS)
    relay.relay_once()
    relay.close()
    [(_, event)] = tap.drain(1)
    data = event["data"]
    assert data["id"] == visit["id"] and data["patient"]["email"] == PATIENT["email"]
    assert [p["id"] for p in data["parts"]] == [b["id"] for b in visit["bookings"]]
    assert "notes" not in str(data) and "manage_token" not in str(data) and "anxious" not in str(data)


def test_reading_a_visit_needs_staff_or_its_token_and_anything_else_is_the_same_404(client, clinician):
    first = client.post("/api/v1/visits", json=visit_body()).json
    second = client.post("/api/v1/visits", json=visit_body(therapy="2026-12-07T13:00:00-06:00",
                                                           meds="2026-12-07T14:00:00-06:00")).json
    path = f"/api/v1/visits/{first['id']}"
    for headers, where in (({}, path), ({"X-Manage-Token": second["manage_token"]}, path),
                           ({"X-Manage-Token": "wrong"}, path), (clinician("hannah-brooks"), path),
                           ({"X-Manage-Token": first["manage_token"]}, "/api/v1/visits/" + "0" * 32),
                           ({}, "/api/v1/visits/not-an-id")):
        refused = client.get(where, headers=headers)
        assert refused.status_code == 404 and refused.content_type == "application/problem+json"
        assert refused.json["detail"] == "No visit with that id is available to you."


def test_a_taken_part_is_409_naming_it_and_nothing_stays_held(client, db, book):
    single = book(provider="grace-okafor", service="med-follow-up", start="2026-12-07T10:00:00-06:00")
    response = client.post("/api/v1/visits", json=visit_body())
    assert response.status_code == 409 and response.content_type == "application/problem+json"
    assert response.json["errors"] == {"parts": ["part 2 was just taken"]}
    assert "Medication management: follow-up" in response.json["detail"]
    assert db.visits.count_documents({}) == 0 and db.bookings.count_documents({}) == 1
    assert not db.provider_ledgers.find_one({"_id": "hannah-brooks"})["busy"]
    assert [e["b"] for e in db.provider_ledgers.find_one({"_id": "grace-okafor"})["busy"]] == [single["id"]]


@pytest.mark.parametrize("body", [
    {**visit_body(), "parts": visit_body()["parts"][:1]},                                            # one part
    {**visit_body(), "parts": visit_body()["parts"] + [visit_body()["parts"][0]]},                   # three parts
    visit_body(prescriber="hannah-brooks", meds_service="intake"),                                   # same provider
    visit_body(meds="2026-12-08T10:00:00-06:00"),                                                    # another day
    visit_body(meds="2026-12-07T11:00:00-06:00"),                                                    # 70-minute gap
    visit_body(meds="2026-12-07T09:30:00-06:00"),                                                    # overlapping
    visit_body(meds_service="no-such-service"),                                                      # unknown service
    visit_body(location="no-such-place"),                                                            # unknown location
    {**visit_body(), "parts": [{**visit_body()["parts"][0], "location_id": "paragould"},
                               visit_body()["parts"][1]]},                                           # mixed locations
    visit_body(max_gap_minutes=121),
    visit_body(patient_state="DE"),                                                                  # not the patient's
])
def test_parts_that_cannot_be_one_trip_are_422_and_nothing_is_written(client, db, body):
    response = client.post("/api/v1/visits", json=body)
    assert response.status_code == 422 and response.content_type == "application/problem+json", response.json
    _nothing_written(db)


def test_a_retry_with_the_same_key_answers_the_same_visit(client, db):
    headers = {"Idempotency-Key": "visit-key-1"}
    first = client.post("/api/v1/visits", json=visit_body(), headers=headers)
    again = client.post("/api/v1/visits", json=visit_body(), headers=headers)
    assert first.status_code == again.status_code == 201 and again.json == first.json
    assert db.visits.count_documents({}) == 1 and db.bookings.count_documents({}) == 2


def test_each_call_is_audited(client, db):
    visit = client.post("/api/v1/visits", json=visit_body()).json
    client.get(f"/api/v1/visits/{visit['id']}")
    entries = [(e["action"], e["outcome"], e["target_ids"][0]) for e in db.audit.find().sort("at")]
    assert entries == [("visit.create", 201, visit["id"]), ("visit.read", 404, visit["id"])]


def test_two_visits_of_one_kind_are_not_a_combined_visit(client):
    """Therapy with medication management: two therapist visit types (CBT and intake) do not combine."""
    response = client.get(f"{COMBINED}&service_ids=therapy-cbt,intake")
    assert response.status_code == 422 and "therapy with medication management" in response.json["detail"]
    assert "service_ids" in response.json["errors"]
