"""Through the staff app the catalog is the administrator's: a staff session's write to clinicians, visit
types or clinics is refused at the gateway (403, nothing sent on), except what running the day needs (a
clinician's schedules, a clinic's hours and closures); an admin's goes through."""
from __future__ import annotations

import pytest

from .test_staff_bff import sign_in


@pytest.mark.parametrize("method, path, body", [
    ("POST", "/staff/api/services", {"name": "New"}),
    ("PATCH", "/staff/api/services/therapy-cbt", {"translations": {"es": {"name": "Terapia"}}}),
    ("POST", "/staff/api/providers", {"name": "Dr New"}),
    ("PATCH", "/staff/api/providers/grace-okafor", {"active": False}),
    ("PATCH", "/staff/api/providers/grace-okafor", {"schedules": {}, "languages": ["en"]}),
    ("PATCH", "/staff/api/locations/jonesboro", {"name": "Renamed"}),
    ("POST", "/staff/api/locations", {"name": "New clinic"}),
])
def test_a_staff_sessions_catalog_write_is_refused_and_not_sent(gateway, services, method, path, body):
    csrf = sign_in(gateway, "staff")
    before = len(services["locations"].calls)
    answer = gateway.open(path, method=method, json=body, headers={"X-CSRF-Token": csrf})
    assert answer.status_code == 403 and answer.content_type == "application/problem+json"
    assert answer.get_json()["type"] == "/problems/admin-only"
    assert len(services["locations"].calls) == before


@pytest.mark.parametrize("method, path, body", [
    ("PATCH", "/staff/api/providers/grace-okafor", {"schedules": {"jonesboro": {}}}),
    ("PATCH", "/staff/api/locations/jonesboro", {"hours": {}}),
    ("POST", "/staff/api/locations/jonesboro/closures", {"from": "2026-12-24", "to": "2026-12-24", "reason": "x"}),
    ("GET", "/staff/api/services", None),
])
def test_what_running_the_day_needs_stays_open_to_staff(gateway, services, method, path, body):
    csrf = sign_in(gateway, "staff")
    answer = gateway.open(path, method=method, json=body, headers={"X-CSRF-Token": csrf})
    assert answer.status_code in (200, 201) and services["locations"].calls[-1]["path"] == path.replace("/staff/api", "/api/v1")


def test_an_admin_changes_the_catalog(gateway, services):
    csrf = sign_in(gateway, "admin")
    answer = gateway.patch("/staff/api/services/therapy-cbt", json={"name": "CBT"}, headers={"X-CSRF-Token": csrf})
    assert answer.status_code == 200 and services["locations"].calls[-1]["path"] == "/api/v1/services/therapy-cbt"
