"""A weekly series through the gateway, on the stack as `make run` starts it: preview, book, read with the
series' token (the series and each visit), cancel this-and-following, and refusals as problems."""
from __future__ import annotations

from datetime import datetime

import pytest
import requests

from tests.system.test_stack import PATIENT, a_free_slot, assert_problem

pytestmark = [pytest.mark.system, pytest.mark.integration, pytest.mark.timeout(300)]


def test_a_weekly_series_through_the_gateway(stack):
    service_id, slot = a_free_slot(stack)
    base = f"{stack.base_url}/api/v1/series"
    body = {"service_id": service_id, "provider_id": slot["provider_id"], "location_id": slot["location_id"],
            "start": slot["start"], "every_weeks": 1, "count": 3, "patient_state": "AR"}
    preview = requests.post(f"{base}/preview", json=body, timeout=15)
    assert preview.status_code == 200, preview.text
    occurrences = preview.json()["occurrences"]
    assert len(occurrences) == 3 and occurrences[0]["status"] == "free"
    assert len({datetime.fromisoformat(o["start"]).strftime("%H:%M") for o in occurrences}) == 1

    free = [o["start"] for o in occurrences if o["status"] == "free"]
    create = {**{k: v for k, v in body.items() if k != "patient_state"}, "patient": dict(PATIENT), "accept": "available"}
    created = requests.post(base, json=create, timeout=15)
    assert created.status_code == 201, created.text
    series = created.json()
    token = {"X-Manage-Token": series["manage_token"]}
    assert [b["start"] for b in series["bookings"]] == free
    assert requests.get(f"{base}/{series['id']}", headers=token, timeout=10).json()["status"] == "active"
    first = series["bookings"][0]["id"]
    assert requests.get(f"{stack.base_url}/api/v1/bookings/{first}", headers=token, timeout=10).status_code == 200
    assert_problem(requests.get(f"{base}/{series['id']}", headers={"X-Manage-Token": "wrong"}, timeout=10), 404)

    cancelled = requests.post(f"{base}/{series['id']}/cancel", json={"from": free[-1]}, headers=token, timeout=15)
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["occurrences"][-1]["status"] == "cancelled"
    assert_problem(requests.post(base, json={**create, "every_weeks": 3}, timeout=10), 422)
    assert_problem(requests.post(base, json={**create, "count": 27}, timeout=10), 422)
