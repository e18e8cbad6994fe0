"""The questions patients and bookings ask: effective hours, and who works where and when."""

import pytest


def test_effective_hours_apply_closures_and_special_hours(client, seeded, staff):
    client.post("/api/v1/locations/jonesboro/closures", json={"from": "2026-12-24", "to": "2026-12-25", "reason": "holiday"}, headers=staff)
    client.post("/api/v1/locations/jonesboro/closures",
                json={"from": "2026-12-19", "to": "2026-12-19", "reason": "saturday clinic",
                      "intervals": [{"open": "09:00", "close": "13:00"}]}, headers=staff)
    days = {d["date"]: d for d in client.get("/api/v1/locations/jonesboro/hours?from=2026-12-18&to=2026-12-25").json["days"]}
    assert days["2026-12-18"] == {"date": "2026-12-18", "intervals": [{"open": "08:00", "close": "17:00"}], "closed": False, "reason": None}
    assert days["2026-12-19"]["intervals"] == [{"open": "09:00", "close": "13:00"}]
    assert days["2026-12-20"]["closed"] is True and days["2026-12-20"]["reason"] is None
    assert days["2026-12-24"] == {"date": "2026-12-24", "intervals": [], "closed": True, "reason": "holiday"}
    assert days["2026-12-23"]["closed"] is False


def test_hours_queries_are_validated(client, seeded):
    assert client.get("/api/v1/locations/jonesboro/hours").status_code == 422
    assert client.get("/api/v1/locations/jonesboro/hours?from=2026-12-10&to=2026-12-01").status_code == 422
    assert client.get("/api/v1/locations/jonesboro/hours?from=2026-13-01").status_code == 422


def _windows(client, location, **params):
    query = "&".join(f"{k}={v}" for k, v in {"from": "2026-12-07", "to": "2026-12-13", **params}.items())
    return client.get(f"/api/v1/locations/{location}/working-windows?{query}")


def test_who_does_dbt_in_spanish(client, seeded):
    body = _windows(client, "paragould", service_id="therapy-dbt", language="es").json
    assert [p["id"] for p in body["providers"]] == ["lucia-ramirez"]
    windows = body["providers"][0]["windows"]
    assert [w["date"] for w in windows] == ["2026-12-08", "2026-12-10"]  # Tuesday and Thursday
    assert windows[0]["start"] == "2026-12-08T14:00:00+00:00" and windows[0]["end"] == "2026-12-08T23:00:00+00:00"


def test_telehealth_follows_the_patient_license(client, seeded):
    in_maryland = _windows(client, "telehealth", service_id="med-follow-up", patient_state="MD").json
    in_arkansas = _windows(client, "telehealth", service_id="med-follow-up", patient_state="AR").json
    assert [p["id"] for p in in_maryland["providers"]] == ["rachel-kim"]
    assert [p["id"] for p in in_arkansas["providers"]] == ["grace-okafor"]
    assert in_maryland["modality"] == "telehealth" and in_maryland["service"]["duration_minutes"] == 30
    refused = _windows(client, "telehealth", service_id="med-follow-up")
    assert refused.status_code == 422 and "patient_state" in refused.json["errors"]


def test_unknown_service_is_422_and_closures_remove_windows(client, seeded, staff):
    assert _windows(client, "jonesboro", service_id="no-such").status_code == 422
    client.post("/api/v1/locations/jonesboro/closures", json={"from": "2026-12-07", "to": "2026-12-07", "reason": "training"}, headers=staff)
    body = _windows(client, "jonesboro", service_id="therapy-cbt", provider_id="hannah-brooks").json
    assert [w["date"] for w in body["providers"][0]["windows"]] == ["2026-12-09", "2026-12-11"]


def test_the_directly_serialized_windows_match_their_documented_schema(client, seeded, staff):
    from locations.api.catalog_schemas import WorkingWindows

    client.post("/api/v1/locations/jonesboro/closures", json={"from": "2026-12-24", "to": "2026-12-25", "reason": "holiday"}, headers=staff)
    body = _windows(client, "jonesboro", service_id="therapy-cbt").json
    assert body["providers"] and body["location"]["closures"]
    assert WorkingWindows().validate(body) == {}


def test_a_saturday_clinic_is_bookable_with_the_providers_who_staff_it(client, seeded, staff):
    opening = {"from": "2026-12-12", "to": "2026-12-12", "reason": "saturday clinic",
               "intervals": [{"open": "09:00", "close": "13:00"}], "provider_ids": ["hannah-brooks"]}
    made = client.post("/api/v1/locations/jonesboro/closures", json=opening, headers=staff)
    assert made.status_code == 201 and made.json["provider_ids"] == ["hannah-brooks"]
    body = _windows(client, "jonesboro", service_id="therapy-cbt", **{"from": "2026-12-12", "to": "2026-12-12"}).json
    staffed = {p["id"]: p["windows"] for p in body["providers"]}
    assert staffed["hannah-brooks"] == [{"date": "2026-12-12", "start": "2026-12-12T15:00:00+00:00",
                                         "end": "2026-12-12T19:00:00+00:00"}]
    assert staffed["miguel-santos"] == []


@pytest.mark.parametrize("changes, status", [
    ({"provider_ids": ["grace-okafor"], "intervals": None}, 422),   # a full closure has no staff
    ({"provider_ids": ["rachel-kim"]}, 422),                         # works only by telehealth
    ({"provider_ids": ["nobody"]}, 422),
])
def test_only_this_location_s_providers_can_staff_special_hours(client, seeded, staff, changes, status):
    opening = {"from": "2026-12-12", "to": "2026-12-12", "reason": "saturday clinic",
               "intervals": [{"open": "09:00", "close": "13:00"}], **changes}
    before = seeded.locations.find_one({"_id": "jonesboro"})["version"]
    response = client.post("/api/v1/locations/jonesboro/closures", json=opening, headers=staff)
    assert response.status_code == status and "provider_ids" in response.json["errors"]
    assert seeded.locations.find_one({"_id": "jonesboro"})["version"] == before
