"""Staff schedule writes say how many active bookings they disrupt (bookings' scan, asked at once with the
caller's token), still succeed when bookings cannot say (null and a note, never a 5xx), and warn about
special hours nobody works."""
from datetime import datetime, timezone

import pytest
from flask import Flask, jsonify, request

from locations import create_app

SATURDAY = "2026-12-12"  # Paragould has no Saturday hours, and nobody a Saturday schedule there


@pytest.fixture
def bookings(serve):
    """A stand-in for bookings' scan: records what it was asked, answers `answer` (status, body)."""
    app = Flask("fake-bookings")
    app.asked, app.answer = [], (200, {"disrupted_bookings": 2, "cleared_bookings": 0, "still_disrupted": 0})

    @app.post("/api/v1/bookings/disruptions/scan")
    def scan():
        app.asked.append((request.get_json(), request.headers.get("Authorization")))
        status, body = app.answer
        return jsonify(body), status

    app.url = serve(app).url
    return app


@pytest.fixture
def client(make_app, seeded, bookings):
    return make_app(create_app, BOOKINGS_URL=bookings.url).test_client()


def closure(client, staff, **body):
    return client.post("/api/v1/locations/paragould/closures", headers=staff,
                       json={"from": "2026-12-07", "to": "2026-12-07", "reason": "Holiday", **body})


def test_a_closure_says_how_many_bookings_it_disrupts(client, staff, bookings):
    before = datetime.now(timezone.utc)
    answer = closure(client, staff)
    after = datetime.now(timezone.utc)
    assert answer.status_code == 201 and answer.json["disrupted_bookings"] == 2 and answer.json["warnings"] == []
    assert "disruption_note" not in answer.json
    [(asked, authorization)] = bookings.asked
    since = datetime.fromisoformat(asked.pop("since"))  # when the write began: what the worker marks after counts
    assert asked == {"location_id": "paragould", "provider_id": None} and authorization == staff["Authorization"]
    assert before <= since <= after


@pytest.mark.parametrize("answer", [(500, {"title": "boom"}), (401, {"title": "no"}), (200, {"odd": 1})])
def test_a_bookings_failure_leaves_the_count_unknown_not_the_write(client, staff, bookings, answer):
    bookings.answer = answer
    written = closure(client, staff)
    assert written.status_code == 201 and written.json["disrupted_bookings"] is None
    assert "checked" in written.json["disruption_note"]
    assert len(client.get("/api/v1/locations/paragould/closures").json["closures"]) == 1  # stored all the same


def test_bookings_unreachable_is_an_unknown_count(make_app, seeded, staff):
    app = make_app(create_app, BOOKINGS_URL="http://127.0.0.1:9")  # nothing listens on the discard port
    written = app.test_client().post("/api/v1/locations/paragould/closures", headers=staff,
                                     json={"from": "2026-12-07", "to": "2026-12-07", "reason": "Holiday"})
    assert written.status_code == 201 and written.json["disrupted_bookings"] is None


def test_special_hours_nobody_works_are_said_to_offer_no_times(client, staff):
    saturday = [{"open": "09:00", "close": "13:00"}]
    unstaffed = closure(client, staff, **{"from": SATURDAY, "to": SATURDAY, "intervals": saturday})
    assert unstaffed.status_code == 201
    [warning] = unstaffed.json["warnings"]
    assert SATURDAY in warning and "no times will be offered" in warning and "provider_ids" in warning
    staffed = closure(client, staff, **{"from": SATURDAY, "to": SATURDAY, "intervals": saturday,
                                        "provider_ids": ["miguel-santos"]})
    assert staffed.json["warnings"] == []
    # a Monday short day: Miguel's Monday schedule at Paragould overlaps it, so he works it
    short = closure(client, staff, intervals=[{"open": "09:00", "close": "12:00"}])
    assert short.json["warnings"] == []


def test_weekly_hours_and_provider_changes_ask_bookings_other_changes_disrupt_nothing(client, staff, bookings):
    inactive = client.patch("/api/v1/providers/miguel-santos", headers=staff, json={"active": False})
    assert inactive.status_code == 200 and inactive.json["disrupted_bookings"] == 2
    spoken = client.patch("/api/v1/providers/miguel-santos", headers=staff, json={"languages": ["en"]})
    assert spoken.json["disrupted_bookings"] == 0
    renamed = client.patch("/api/v1/locations/paragould", headers=staff, json={"name": "Paragould Clinic East"})
    assert renamed.status_code == 200 and renamed.json["disrupted_bookings"] == 0 and len(bookings.asked) == 1
    hours = {d: [{"open": "08:00", "close": "12:00"}] for d in ("mon", "tue", "wed", "thu", "fri")}
    shorter = client.patch("/api/v1/locations/paragould", headers=staff, json={"hours": hours})
    assert shorter.status_code == 200 and shorter.json["disrupted_bookings"] == 2
    closed = client.patch("/api/v1/locations/paragould", headers=staff, json={"active": False})
    assert closed.status_code == 200 and closed.json["disrupted_bookings"] == 2
    assert [{k: v for k, v in scope.items() if k != "since"} for scope, _ in bookings.asked] == [
        {"location_id": None, "provider_id": "miguel-santos"}] + [
        {"location_id": "paragould", "provider_id": None}] * 2


def test_a_refused_write_asks_nothing(client, staff, bookings):
    assert closure(client, staff, to="2026-12-01").status_code == 422
    assert bookings.asked == []
