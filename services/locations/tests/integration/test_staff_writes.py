"""Staff changes: who may make them, what they refuse (writing nothing), and the events they announce."""
import pytest

from clinic_common.runner import build_relay

from locations.config import OUTBOX_COLLECTIONS

CLINIC = {"id": "searcy", "name": "Searcy Clinic", "timezone": "America/Chicago", "phone": "+15015550100",
          "address": {"line1": "1 Main St", "city": "Searcy", "state": "AR", "postal_code": "72143"},
          "modalities": ["in_person"],
          "hours": {"mon": [{"open": "08:00", "close": "12:00"}, {"open": "13:00", "close": "17:00"}]}}
THERAPIST = {"name": "Test Therapist", "credentials": "LPC", "role": "therapist", "service_ids": ["therapy-cbt"],
             "languages": ["en"], "licensed_states": ["AR"], "schedules": {"jonesboro": {"mon": [{"open": "09:00", "close": "12:00"}]}}}


def test_writes_need_a_staff_token(client, seeded, clinician, staff):
    assert client.post("/api/v1/locations", json=CLINIC).status_code == 401
    assert client.post("/api/v1/locations", json=CLINIC, headers=clinician("grace-okafor")).status_code == 403
    assert client.patch("/api/v1/services/intake", json={"duration_minutes": 90}, headers=clinician("grace-okafor")).status_code == 403
    created = client.post("/api/v1/locations", json=CLINIC, headers=staff)
    assert created.status_code == 201 and created.json["id"] == "searcy"
    assert created.json["hours"]["tue"] == [] and created.json["closures"] == []


@pytest.mark.parametrize("path, body, field", [
    ("/api/v1/locations", {**CLINIC, "timezone": "America/Jonesboro"}, "timezone"),
    ("/api/v1/locations", {**CLINIC, "hours": {"mon": [{"open": "17:00", "close": "08:00"}]}}, "hours"),
    ("/api/v1/locations", {**CLINIC, "hours": {"mon": [{"open": "08:00", "close": "12:00"}, {"open": "11:00", "close": "17:00"}]}}, "hours"),
    ("/api/v1/locations", {**CLINIC, "hours": {"monday": [{"open": "08:00", "close": "12:00"}]}}, "hours"),
    ("/api/v1/locations", {**CLINIC, "address": {**CLINIC["address"], "state": "ZZ"}}, "address"),
    ("/api/v1/locations", {**CLINIC, "address": None}, "address"),
    ("/api/v1/locations/jonesboro/closures", {"from": "2026-12-26", "to": "2026-12-24", "reason": "holiday"}, "to"),
    ("/api/v1/providers", {**THERAPIST, "schedules": {"jonesboro": {"sat": [{"open": "09:00", "close": "12:00"}]}}}, "schedules"),
    ("/api/v1/providers", {**THERAPIST, "schedules": {"nowhere": {"mon": [{"open": "09:00", "close": "12:00"}]}}}, "schedules"),
    ("/api/v1/providers", {**THERAPIST, "service_ids": ["no-such-service"]}, "service_ids"),
    ("/api/v1/providers", {**THERAPIST, "service_ids": ["med-follow-up"]}, "service_ids"),
    ("/api/v1/providers", {**THERAPIST, "licensed_states": ["XX"]}, "licensed_states"),
    ("/api/v1/providers", {**THERAPIST, "schedules": {"jonesboro": {"mon": [{"open": "09:00", "close": "12:00"}]},
                                                      "paragould": {"mon": [{"open": "11:00", "close": "13:00"}]}}}, "schedules"),
])
def test_refusals_name_the_field_and_write_nothing(client, seeded, staff, path, body, field):
    counts = {name: seeded[name].count_documents({}) for name in ("locations", "providers", "services")}
    versions = {doc["_id"]: doc["version"] for doc in seeded.locations.find()}
    response = client.post(path, json=body, headers=staff)
    assert response.status_code == 422, response.json
    assert response.content_type == "application/problem+json" and field in response.json["errors"]
    assert {name: seeded[name].count_documents({}) for name in counts} == counts
    assert {doc["_id"]: doc["version"] for doc in seeded.locations.find()} == versions


def test_unknown_ids_are_404(client, seeded, staff):
    for path in ("/api/v1/locations/nowhere", "/api/v1/providers/nobody", "/api/v1/services/nothing",
                 "/api/v1/locations/nowhere/hours?from=2026-12-01"):
        response = client.get(path)
        assert response.status_code == 404 and response.content_type == "application/problem+json", path
    assert client.patch("/api/v1/locations/nowhere", json={"name": "x"}, headers=staff).status_code == 404
    assert client.delete("/api/v1/locations/jonesboro/closures/nope", headers=staff).status_code == 404


def test_every_change_is_announced_through_the_outbox(settings, client, seeded, staff, event_tap):
    relay = build_relay(settings, "locations", OUTBOX_COLLECTIONS)
    relay.relay_once()  # the seed's own announcements
    tap = event_tap("*.updated")
    client.patch("/api/v1/locations/jonesboro", json={"phone": "+18705550199"}, headers=staff)
    client.post("/api/v1/locations/jonesboro/closures", json={"from": "2026-12-24", "to": "2026-12-25", "reason": "holiday"}, headers=staff)
    client.patch("/api/v1/services/intake", json={"duration_minutes": 90}, headers=staff)
    client.post("/api/v1/providers", json=THERAPIST, headers=staff)
    assert relay.relay_once() == 4
    relay.close()
    got = [(props.type, body["data"]) for props, body in tap.drain(4)]
    assert [t for t, _ in got].count("location.updated") == 2
    assert {t for t, _ in got} == {"location.updated", "service.updated", "provider.updated"}
    closure_event = [d for t, d in got if t == "location.updated" and d["closures"]][0]
    assert closure_event["phone"] == "+18705550199" and closure_event["closures"][0]["reason"] == "holiday"


def test_closures_ahead_can_be_listed_and_deleted(client, seeded, staff):
    made = client.post("/api/v1/locations/paragould/closures",
                       json={"from": "2031-07-03", "to": "2031-07-03", "reason": "training",
                             "intervals": [{"open": "08:00", "close": "12:00"}]}, headers=staff).json
    listed = client.get("/api/v1/locations/paragould/closures").json["closures"]
    assert [c["id"] for c in listed] == [made["id"]] and listed[0]["intervals"][0]["close"] == "12:00"
    assert client.delete(f"/api/v1/locations/paragould/closures/{made['id']}", headers=staff).status_code == 204
    assert client.get("/api/v1/locations/paragould/closures").json["closures"] == []


def test_a_closure_that_has_started_stays_on_record(client, seeded, staff):
    made = client.post("/api/v1/locations/paragould/closures",
                       json={"from": "2020-01-01", "to": "2099-01-01", "reason": "moved"}, headers=staff)
    assert made.status_code == 422  # longer than a year
    made = client.post("/api/v1/locations/paragould/closures",
                       json={"from": "2020-01-01", "to": "2020-01-02", "reason": "flood"}, headers=staff).json
    response = client.delete(f"/api/v1/locations/paragould/closures/{made['id']}", headers=staff)
    assert response.status_code == 409 and response.content_type == "application/problem+json"
