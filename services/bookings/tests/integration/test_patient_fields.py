"""The patient's own zone and SMS consent, against the demo practice and the real datastore: a zone must be
one of the patient's state's (422 otherwise, nothing written), is stored and shown in the view and the
event; a ticked consent is recorded with the wording the public route serves; the page's public answers."""
import pytest

from .conftest import booking_body
from .test_series_api import series_body
from .test_visits_api import visit_body


def _event_patient(db, booking_id):
    return db.bookings.find_one({"_id": booking_id})["outbox"][-1]["data"]["patient"]


@pytest.mark.parametrize("state, zone", [("TX", "America/New_York"), ("AR", "America/Denver"), ("TX", "Europe/Paris"),
                                         ("TX", "not a zone")])
def test_a_zone_outside_the_patients_state_is_422_and_books_nothing(client, db, state, zone):
    refused = client.post("/api/v1/bookings", json=booking_body(state=state, timezone=zone))
    assert refused.status_code == 422 and refused.content_type == "application/problem+json"
    assert "timezone" in refused.json["errors"]["patient"]
    assert db.bookings.count_documents({}) == 0


def test_a_zone_of_the_patients_state_is_stored_and_shown_in_the_view_and_the_event(client, db):
    answer = client.post("/api/v1/bookings", json=booking_body(state="TX", timezone="America/Denver"))
    assert answer.status_code == 201, answer.json
    assert answer.json["patient"]["timezone"] == "America/Denver"
    assert _event_patient(db, answer.json["id"])["timezone"] == "America/Denver"
    read = client.get(f"/api/v1/bookings/{answer.json['id']}", headers={"X-Manage-Token": answer.json["manage_token"]})
    assert read.json["patient"]["timezone"] == "America/Denver"


def test_without_a_zone_or_consent_the_view_says_null(client, db):
    answer = client.post("/api/v1/bookings", json=booking_body())
    assert answer.status_code == 201
    assert answer.json["patient"]["timezone"] is None and answer.json["patient"]["sms_consent"] is None
    assert _event_patient(db, answer.json["id"])["sms_consent"] is None


def test_a_ticked_consent_is_recorded_with_the_served_wording_version_and_language(client, db):
    wording = client.get("/api/v1/bookings/sms-consent")
    assert wording.status_code == 200 and "public" in wording.headers["Cache-Control"]
    assert "Reply STOP to opt out, HELP for help." in wording.json["texts"]["en"]
    assert "the clinic" in wording.json["texts"]["en"] and "la clínica" in wording.json["texts"]["es"]
    answer = client.post("/api/v1/bookings", json=booking_body(sms_consent=True))
    assert answer.status_code == 201, answer.json
    consent = answer.json["patient"]["sms_consent"]
    assert consent["wording_version"] == wording.json["version"] and consent["language"] == "es"
    assert consent["given_at"].endswith("+00:00")
    assert _event_patient(db, answer.json["id"])["sms_consent"] == consent


@pytest.mark.parametrize("value", ["yes", 1, "true", None])
def test_consent_is_a_json_true_or_false_only(client, db, value):
    refused = client.post("/api/v1/bookings", json=booking_body(sms_consent=value))
    assert refused.status_code == 422 and "sms_consent" in refused.json["errors"]["patient"]
    assert db.bookings.count_documents({}) == 0


def test_practice_name_words_the_consent_and_changes_its_version(make_app, live_locations, client):
    from bookings import create_app

    named = make_app(create_app, LOCATIONS_URL=live_locations, PRACTICE_NAME="Delta Behavioral Health").test_client()
    ours, theirs = client.get("/api/v1/bookings/sms-consent").json, named.get("/api/v1/bookings/sms-consent").json
    assert "from Delta Behavioral Health at this number" in theirs["texts"]["en"]
    assert "de Delta Behavioral Health en este número" in theirs["texts"]["es"]
    assert ours["version"] != theirs["version"]


def test_series_visits_and_the_waitlist_record_the_patients_fields_too(client):
    body = series_body(count=2)
    body["patient"] = {**body["patient"], "sms_consent": True, "timezone": "America/Chicago"}
    series = client.post("/api/v1/series", json=body)
    assert series.status_code == 201, series.json
    assert series.json["patient"]["sms_consent"]["language"] == "es"
    assert all(b["patient"]["timezone"] == "America/Chicago" for b in series.json["bookings"])
    visit = visit_body()
    visit["patient"] = {**visit["patient"], "sms_consent": True}
    made = client.post("/api/v1/visits", json=visit)
    assert made.status_code == 201, made.json
    assert made.json["patient"]["sms_consent"] and all(b["patient"]["sms_consent"] for b in made.json["bookings"])
    joined = client.post("/api/v1/waitlist", json={
        "patient": {**visit["patient"], "timezone": "America/New_York"}, "service_id": "therapy-cbt",
        "modality": "in_person", "location_ids": ["jonesboro"], "until": "2026-12-31"})
    assert joined.status_code == 422 and "timezone" in joined.json["errors"]["patient"]


def test_the_patient_zones_are_public_with_english_and_spanish_labels(client):
    answer = client.get("/api/v1/bookings/patient-zones")
    assert answer.status_code == 200 and "public" in answer.headers["Cache-Control"]
    states = {s["code"]: s for s in answer.json["states"]}
    assert len(states) == 51
    assert states["TX"]["zones"] == [
        {"id": "America/Chicago", "label": {"en": "Central (Chicago)", "es": "Centro (Chicago)"}},
        {"id": "America/Denver", "label": {"en": "Mountain (Denver)", "es": "Montaña (Denver)"}}]
    assert [z["id"] for z in states["DE"]["zones"]] == ["America/New_York"]
    assert states["NC"]["name"] == {"en": "North Carolina", "es": "Carolina del Norte"}
