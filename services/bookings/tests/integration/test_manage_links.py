"""Manage links against the demo practice and the real datastore: the credential notifications mints
(clinic_common.manage_links) opens, through X-Manage-Token, the booking, series or combined visit it was
minted for and nothing else; expired, revoked (cancelled) and foreign links get the very 404 a wrong
one gets; a link acts as the patient (the late-change cutoff applies) and is audited as a link."""
from datetime import timedelta

import pytest

from clinic_common.manage_links import link_key, mint

from .conftest import NOW, booking_body
from .test_series_api import series_body
from .test_visits_api import visit_body

IN_A_MONTH = int((NOW + timedelta(days=30)).timestamp())
SUNDAY_NOON = NOW.replace(day=6, hour=18)  # 21 hours before booking_body()'s Monday 09:00 in Jonesboro


@pytest.fixture
def key(settings):
    return link_key("", settings.jwt_secret)  # MANAGE_LINK_SECRET unset: derived from JWT_SECRET


@pytest.fixture
def link(key):
    def make(kind, subject_id, expires=IN_A_MONTH):
        return {"X-Manage-Token": mint(key, kind, subject_id, expires)}

    return make


def _created(response):
    assert response.status_code == 201, response.json
    return response.json


@pytest.fixture
def booked(client):
    return _created(client.post("/api/v1/bookings", json=booking_body()))


def _refusal(response):
    return response.status_code, response.json["detail"]


def test_a_booking_link_reads_the_booking(client, booked, link):
    answer = client.get(f"/api/v1/bookings/{booked['id']}", headers=link("booking", booked["id"]))
    assert answer.status_code == 200 and answer.json["id"] == booked["id"]


def test_expired_wrong_and_unknown_links_get_the_same_404(client, booked, link, clock):
    wrong = client.get(f"/api/v1/bookings/{booked['id']}", headers={"X-Manage-Token": "m1-b-9999999999-" + "A" * 43})
    expired = client.get(f"/api/v1/bookings/{booked['id']}",
                         headers=link("booking", booked["id"], int((NOW - timedelta(seconds=1)).timestamp())))
    unknown = client.get("/api/v1/bookings/" + "0" * 32, headers=link("booking", "0" * 32))
    assert _refusal(wrong) == _refusal(expired) == _refusal(unknown) == (404, wrong.json["detail"])
    clock.now = NOW + timedelta(days=31)  # the clock passes a good link's expiry
    late = client.get(f"/api/v1/bookings/{booked['id']}", headers=link("booking", booked["id"]))
    assert _refusal(late) == _refusal(wrong)


def test_one_bookings_link_never_opens_another(client, booked, link):
    other = _created(client.post("/api/v1/bookings", json=booking_body(start="2026-12-07T11:00:00-06:00")))
    answer = client.get(f"/api/v1/bookings/{other['id']}", headers=link("booking", booked["id"]))
    assert answer.status_code == 404
    moved = client.post(f"/api/v1/bookings/{other['id']}/cancel", json={}, headers=link("booking", booked["id"]))
    assert moved.status_code == 404
    assert client.get(f"/api/v1/bookings/{other['id']}", headers={"X-Manage-Token": other["manage_token"]}
                      ).json["status"] == "confirmed"


def test_a_link_of_another_kind_for_the_same_id_opens_nothing(client, booked, link):
    for kind in ("series", "visit"):
        assert client.get(f"/api/v1/bookings/{booked['id']}", headers=link(kind, booked["id"])).status_code == 404


def test_a_link_reschedules_then_cancels_within_policy_and_a_cancelled_bookings_link_is_revoked(client, db, booked,
                                                                                                  link):
    headers = link("booking", booked["id"])
    moved = client.post(f"/api/v1/bookings/{booked['id']}/reschedule", headers=headers,
                        json={"start": "2026-12-09T11:00:00-06:00"})
    assert moved.status_code == 200, moved.json
    assert moved.json["start"] == "2026-12-09T11:00:00-06:00" and "late" not in moved.json
    cancelled = client.post(f"/api/v1/bookings/{booked['id']}/cancel", json={"reason": "better"}, headers=headers)
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"
    gone = client.get(f"/api/v1/bookings/{booked['id']}", headers=headers)
    assert gone.status_code == 404
    # the manage token still reads it: only links are revoked by a cancel
    assert client.get(f"/api/v1/bookings/{booked['id']}", headers={"X-Manage-Token": booked["manage_token"]}
                      ).status_code == 200
    actors = [(a["action"], a["actor"], a["outcome"]) for a in db.audit.find({"target_ids": booked["id"]})
              if a["action"] != "booking.create"]
    assert ("booking.reschedule", "manage-link", 200) in actors and ("booking.read", "manage-link", 404) in actors


def test_a_link_is_the_patients_credential_so_the_late_change_cutoff_applies(client, db, booked, link, clock):
    clock.now = SUNDAY_NOON
    refused = client.post(f"/api/v1/bookings/{booked['id']}/cancel", json={}, headers=link("booking", booked["id"]))
    assert refused.status_code == 409 and refused.json["type"] == "/problems/late-change"
    assert db.bookings.find_one({"_id": booked["id"]})["status"] == "confirmed"


def test_a_series_link_opens_the_series_and_each_occurrence_but_not_another_series(client, link):
    series = _created(client.post("/api/v1/series", json=series_body(count=3)))
    other = _created(client.post("/api/v1/series", json=series_body(count=2, start="2026-12-09T10:00:00-06:00")))
    headers = link("series", series["id"])
    read = client.get(f"/api/v1/series/{series['id']}", headers=headers)
    assert read.status_code == 200 and len(read.json["occurrences"]) == 3
    for occurrence in series["bookings"]:
        assert client.get(f"/api/v1/bookings/{occurrence['id']}", headers=headers).status_code == 200
    assert client.get(f"/api/v1/series/{other['id']}", headers=headers).status_code == 404
    assert all(client.get(f"/api/v1/bookings/{b['id']}", headers=headers).status_code == 404 for b in other["bookings"])
    # a booking link of one occurrence opens that occurrence, never its series
    first = series["bookings"][0]["id"]
    assert client.get(f"/api/v1/series/{series['id']}", headers=link("booking", first)).status_code == 404
    assert client.get(f"/api/v1/bookings/{first}", headers=link("booking", first)).status_code == 200
    cancelled = client.post(f"/api/v1/series/{series['id']}/cancel", json={}, headers=headers)
    assert cancelled.status_code == 200, cancelled.json
    assert client.get(f"/api/v1/bookings/{first}", headers=headers).status_code == 404  # revoked with it


def test_a_visit_link_opens_the_visit_and_its_parts_and_cancels_it(client, link):
    visit = _created(client.post("/api/v1/visits", json=visit_body()))
    headers = link("visit", visit["id"])
    assert client.get(f"/api/v1/visits/{visit['id']}", headers=headers).status_code == 200
    assert all(client.get(f"/api/v1/bookings/{b['id']}", headers=headers).status_code == 200
               for b in visit["bookings"])
    assert client.get(f"/api/v1/visits/{visit['id']}", headers=link("series", visit["id"])).status_code == 404
    cancelled = client.post(f"/api/v1/visits/{visit['id']}/cancel", json={}, headers=headers)
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"
    assert client.get(f"/api/v1/visits/{visit['id']}", headers=headers).status_code == 404


def test_a_set_manage_link_secret_is_the_key(make_app, live_locations, clock, settings):
    from bookings import create_app

    app = make_app(create_app, deps={"clock": clock}, LOCATIONS_URL=live_locations,
                   MANAGE_LINK_SECRET="a-manage-link-secret-of-its-own-32b")
    client = app.test_client()
    booked = _created(client.post("/api/v1/bookings", json=booking_body()))
    own = mint(link_key("a-manage-link-secret-of-its-own-32b", ""), "booking", booked["id"], IN_A_MONTH)
    derived = mint(link_key("", settings.jwt_secret), "booking", booked["id"], IN_A_MONTH)
    assert client.get(f"/api/v1/bookings/{booked['id']}", headers={"X-Manage-Token": own}).status_code == 200
    assert client.get(f"/api/v1/bookings/{booked['id']}", headers={"X-Manage-Token": derived}).status_code == 404
