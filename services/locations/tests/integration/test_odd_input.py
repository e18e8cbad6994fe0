"""Odd but cheap input to the locations service: a 4xx problem that changes nothing, never a 500."""
import json

import pytest

from .test_staff_writes import CLINIC

ODD_DATES = ["9999-12-30", "9999-12-31", "0001-01-01", "1969-12-31", "2200-01-01"]


def _problem(response, status):
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.content_type == "application/problem+json"
    return response.json


@pytest.mark.parametrize("day", ODD_DATES)
def test_dates_at_the_calendars_edges_are_422(client, seeded, day):
    for path in ("hours", "working-windows"):
        problem = _problem(client.get(f"/api/v1/locations/jonesboro/{path}?from={day}&to={day}"), 422)
        assert "from" in problem["errors"]


@pytest.mark.parametrize("day", ODD_DATES)
def test_a_closure_at_the_calendars_edge_is_refused_and_not_stored(client, seeded, staff, day):
    before = client.get("/api/v1/locations/jonesboro").json["closures"]
    response = client.post("/api/v1/locations/jonesboro/closures", json={"from": day, "to": day, "reason": "x"},
                           headers=staff)
    assert set(_problem(response, 422)["errors"]) >= {"from", "to"}
    assert client.get("/api/v1/locations/jonesboro").json["closures"] == before


@pytest.mark.parametrize("text", [
    json.dumps({**CLINIC, "name": "Searcy \ud800"}),
    json.dumps(CLINIC)[:-1] + ', "phone": %s}' % ("1" * 4400),
    '{"name": ' + "[" * 10_000 + "]" * 10_000 + "}",
])
def test_odd_bodies_are_400_and_store_nothing(client, seeded, staff, text):
    response = client.post("/api/v1/locations", data=text, headers={**staff, "Content-Type": "application/json"})
    _problem(response, 400)
    assert client.get("/api/v1/locations/searcy").status_code == 404
