"""Every refusal of the practice's rules is the same problem it always was: status, type and detail."""
import pytest

from .test_staff_writes import THERAPIST

UNPROCESSABLE, NOT_FOUND = (422, "/problems/validation"), (404, "/problems/not-found")
CONFLICT = (409, "/problems/conflict")
TELEHEALTH_WINDOWS = "/api/v1/locations/telehealth/working-windows?from=2031-07-07&to=2031-07-08"


def _closure(client, staff, **fields):
    body = {"from": "2031-07-05", "to": "2031-07-05", "reason": "clinic", **fields}
    return client.post("/api/v1/locations/paragould/closures", json=body, headers=staff)


@pytest.mark.parametrize("call, expected, detail, field", [
    (lambda c, s: c.post("/api/v1/locations", headers=s, json={
        "name": "Nowhere", "timezone": "America/Chicago", "modalities": ["in_person"], "hours": {}}),
     UNPROCESSABLE, "The location is not consistent.", "address"),
    (lambda c, s: c.post("/api/v1/providers", headers=s, json={**THERAPIST, "service_ids": ["no-such-service"]}),
     UNPROCESSABLE, "The provider is not consistent with the practice's services and hours.", "service_ids"),
    (lambda c, s: _closure(c, s, provider_ids=["hannah-brooks"]),
     UNPROCESSABLE, "Those providers cannot staff these hours.", "provider_ids"),
    (lambda c, s: c.get(TELEHEALTH_WINDOWS + "&service_id=nope"), UNPROCESSABLE, "Unknown service.", "service_id"),
    (lambda c, s: c.get(TELEHEALTH_WINDOWS), UNPROCESSABLE, "No provider could ever match this request.",
     "patient_state"),
    (lambda c, s: c.get("/api/v1/locations/jonesboro/hours?from=2031-01-01&to=2032-01-02"),
     UNPROCESSABLE, "The range is too long.", "to"),
    (lambda c, s: c.delete("/api/v1/locations/jonesboro/closures/nope", headers=s),
     NOT_FOUND, "No closure 'nope' at this location.", None),
])
def test_each_refusal_is_its_problem(client, seeded, staff, call, expected, detail, field):
    response = call(client, staff)
    problem = response.json
    assert (response.status_code, problem["type"]) == expected, problem
    assert response.content_type == "application/problem+json" and problem["detail"] == detail
    assert (field in problem["errors"]) if field else "errors" not in problem


def test_deleting_a_closure_that_has_started_is_a_conflict(client, seeded, staff):
    made = _closure(client, staff, **{"from": "2020-01-01", "to": "2020-01-02"}).json
    response = client.delete(f"/api/v1/locations/paragould/closures/{made['id']}", headers=staff)
    assert (response.status_code, response.json["type"]) == CONFLICT
    assert response.json["detail"] == "That closure has already started; past and current closures stay on record."
