"""Series against the real datastore and a live locations service (demo practice), 'now' fixed at 1 December 2026.

Hannah Brooks works in Jonesboro on Mondays, Wednesdays and Fridays, 08:00-17:00 America/Chicago;
a weekly series from Monday 7 December runs across the March 2027 DST change.
"""
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from clinic_common.runner import build_relay

from bookings.config import OUTBOX_COLLECTIONS

from .conftest import PATIENT

FIRST = "2026-12-07T10:00:00-06:00"


def series_body(start=FIRST, count=4, every_weeks=1, accept="all", provider="hannah-brooks", service="therapy-cbt",
                location="jonesboro", **extra):
    body = {"service_id": service, "provider_id": provider, "location_id": location, "start": start,
            "every_weeks": every_weeks, "patient": dict(PATIENT, state=extra.pop("state", "AR")),
            "notes": "prefers mornings", "accept": accept, **extra}
    if count is not None:
        body["count"] = count
    return body


def preview_body(**kwargs):
    body = series_body(**kwargs)
    state = body.pop("patient")["state"]
    body.pop("notes"), body.pop("accept")
    return {**body, "patient_state": state}


def close_jonesboro(live_locations, staff, day):
    closed = requests.post(f"{live_locations}/api/v1/locations/jonesboro/closures", headers=staff, timeout=10,
                           json={"from": day, "to": day, "reason": "training"})
    assert closed.status_code == 201, closed.text


def test_preview_keeps_10_00_across_dst_and_names_a_closure_and_a_booked_week(client, live_locations, staff, book):
    close_jonesboro(live_locations, staff, "2026-12-21")
    book(start="2026-12-14T10:00:00-06:00")
    answer = client.post("/api/v1/series/preview", json=preview_body(count=16))
    assert answer.status_code == 200, answer.json
    occurrences = answer.json["occurrences"]
    assert len(occurrences) == 16 and all(o["start"][11:16] == "10:00" for o in occurrences)
    assert occurrences[0]["start"] == FIRST and occurrences[15]["start"] == "2027-03-22T10:00:00-05:00"
    assert occurrences[14]["start"] == "2027-03-15T10:00:00-05:00"          # after the change: CDT
    assert [(o["status"], o.get("reason")) for o in occurrences[:3]] == [
        ("free", None), ("conflict", "booked"), ("conflict", "closed")]
    alternatives = occurrences[1]["alternatives"]
    assert [a["start"] for a in alternatives] == ["2026-12-14T09:00:00-06:00", "2026-12-14T11:00:00-06:00",
                                                  "2026-12-14T08:00:00-06:00"]
    assert all(a["provider_id"] == "hannah-brooks" for a in alternatives)
    assert occurrences[2]["alternatives"][0]["start"].startswith("2026-12-23T")  # the Wednesday of the closed week


def test_reasons_outside_hours_beyond_horizon_and_not_licensed(client):
    late = client.post("/api/v1/series/preview", json=preview_body(start="2026-12-07T16:30:00-06:00", count=1))
    assert late.status_code == 200 and late.json["occurrences"][0]["reason"] == "outside_hours"
    far = client.post("/api/v1/series/preview", json=preview_body(every_weeks=4, count=8)).json["occurrences"]
    assert [o["status"] for o in far][:7] == ["free"] * 7 and far[7]["reason"] == "beyond_horizon"  # 196 days on
    unlicensed = client.post("/api/v1/series/preview", json=preview_body(
        provider="rachel-kim", service="med-follow-up", location="telehealth", start="2026-12-07T09:30:00-06:00",
        state="AR", count=2))
    assert unlicensed.status_code == 200, unlicensed.json
    assert [o["reason"] for o in unlicensed.json["occurrences"]] == ["not_licensed", "not_licensed"]


def test_a_series_is_booked_with_one_token_for_every_visit_and_announced(settings, client, db, staff, event_tap):
    tap = event_tap("series.*")
    created = client.post("/api/v1/series", json=series_body(count=3, every_weeks=2))
    assert created.status_code == 201, created.json
    body = created.json
    token, series_id = body["manage_token"], body["id"]
    assert body["status"] == "active" and [b["start"] for b in body["bookings"]] == [
        FIRST, "2026-12-21T10:00:00-06:00", "2027-01-04T10:00:00-06:00"]
    assert all(b["series_id"] == series_id and b["status"] == "confirmed" for b in body["bookings"])
    assert len(db.provider_ledgers.find_one({"_id": "hannah-brooks"})["busy"]) == 3
    for booking in body["bookings"]:
        assert client.get(f"/api/v1/bookings/{booking['id']}", headers={"X-Manage-Token": token}).status_code == 200
    assert token not in str(db.series.find_one({"_id": series_id}))

    assert client.get(f"/api/v1/series/{series_id}", headers={"X-Manage-Token": token}).json["status"] == "active"
    assert client.get(f"/api/v1/series/{series_id}", headers=staff).status_code == 200
    for headers, path in (({"X-Manage-Token": "wrong"}, series_id), ({}, series_id),
                          ({"X-Manage-Token": token}, "f" * 32), ({"X-Manage-Token": token}, "not-an-id")):
        refused = client.get(f"/api/v1/series/{path}", headers=headers)
        assert refused.status_code == 404 and refused.content_type == "application/problem+json"

    relay = build_relay(settings, "bookings", OUTBOX_COLLECTIONS)
    relay.relay_once()
    relay.close()
    [(_, event)] = tap.drain(1)
    data = event["data"]
    assert event["type"] == "series.created" and data["id"] == series_id and data["patient"]["email"]
    assert [o["start"] for o in data["occurrences"]] == [b["start"] for b in body["bookings"]]
    assert "notes" not in str(event) and "hash" not in str(event) and token not in str(event)
    audit = [e["action"] for e in db.audit.find({"target_ids": series_id})]
    assert "series.create" in audit and "series.read" in audit


def test_all_or_nothing_409_lists_conflicts_and_available_books_the_free_ones(client, db, book):
    taken = book(start="2026-12-14T10:00:00-06:00")
    refused = client.post("/api/v1/series", json=series_body(count=3))
    assert refused.status_code == 409 and refused.content_type == "application/problem+json"
    assert refused.json["errors"]["occurrences"] == [{"start": "2026-12-14T10:00:00-06:00", "reason": "booked"}]
    assert db.bookings.count_documents({}) == 1 and db.series.count_documents({}) == 0

    some = client.post("/api/v1/series", json=series_body(count=3, accept="available"))
    assert some.status_code == 201, some.json
    assert [b["start"] for b in some.json["bookings"]] == [FIRST, "2026-12-21T10:00:00-06:00"]
    assert [(s["start"], s["reason"]) for s in some.json["skipped"]] == [("2026-12-14T10:00:00-06:00", "booked")]
    assert db.bookings.count_documents({"series_id": some.json["id"]}) == 2 and taken["id"]

    nothing = client.post("/api/v1/series", json=series_body(count=3, accept="available"))
    assert nothing.status_code == 409


def test_cancel_this_and_following_then_the_rest(settings, client, db, event_tap):
    created = client.post("/api/v1/series", json=series_body(count=4)).json
    token, series_id = created["manage_token"], created["id"]
    path = f"/api/v1/series/{series_id}/cancel"
    assert client.post(path, json={}, headers={"X-Manage-Token": "wrong"}).status_code == 404

    partly = client.post(path, json={"from": "2026-12-21T00:00:00-06:00"}, headers={"X-Manage-Token": token})
    assert partly.status_code == 200, partly.json
    assert partly.json["status"] == "active"
    assert [o["status"] for o in partly.json["occurrences"]] == ["confirmed", "confirmed", "cancelled", "cancelled"]
    cancelled = db.bookings.find_one({"_id": created["bookings"][2]["id"]})
    assert cancelled["cancelled_with_series"] is True and cancelled["outbox"][-1]["type"] == "booking.cancelled"
    assert cancelled["outbox"][-1]["data"]["cancelled_with_series"] is True
    assert len(db.provider_ledgers.find_one({"_id": "hannah-brooks"})["busy"]) == 2

    # one occurrence moves like any booking, with the series' token
    moved = client.post(f"/api/v1/bookings/{created['bookings'][1]['id']}/reschedule",
                        json={"start": "2026-12-16T11:00:00-06:00"}, headers={"X-Manage-Token": token})
    assert moved.status_code == 200, moved.json
    rest = client.post(path, json={}, headers={"X-Manage-Token": token})
    assert rest.json["status"] == "cancelled" and {o["status"] for o in rest.json["occurrences"]} == {"cancelled"}
    assert rest.json["occurrences"][1]["start"] == "2026-12-16T11:00:00-06:00"
    assert db.provider_ledgers.find_one({"_id": "hannah-brooks"})["busy"] == []
    assert [e["type"] for e in db.series.find_one({"_id": series_id})["outbox"]] == [
        "series.created", "series.cancelled", "series.cancelled"]
    assert client.post(path, json={}, headers={"X-Manage-Token": token}).status_code == 409


@pytest.mark.parametrize("changes, field", [
    ({"count": 27}, "count"),
    ({"count": 0}, "count"),
    ({"every_weeks": 3}, "every_weeks"),
    ({"every_weeks": "2"}, "every_weeks"),
    ({"every_weeks": True}, "every_weeks"),
    ({"count": None, "until": "2026-12-01"}, "until"),                  # before the first visit
    ({"count": None, "until": "2027-06-30"}, "until"),                  # beyond the series horizon
    ({"until": "2027-01-04"}, "count"),                                 # both
    ({"count": None}, "count"),                                         # neither
    ({"count": 2.5}, "count"),
    ({"accept": "some"}, "accept"),
    ({"start": "2026-12-07T10:00:00"}, "start"),                        # no offset
    ({"start": "2026-12-01T10:00:00-06:00"}, "start"),                  # sooner than the notice
    ({"start": "2027-03-08T10:00:00-06:00"}, "start"),                  # first visit beyond the booking horizon
    ({"provider": "grace-okafor"}, "provider_id"),                      # a prescriber does not do CBT
    ({"location": "no-such-place"}, "location_id"),
])
def test_bad_input_is_422_and_writes_nothing(client, db, changes, field):
    body = series_body(**{k: v for k, v in changes.items() if k in ("provider", "location", "start", "accept")})
    body.update({k: v for k, v in changes.items() if k not in ("provider", "location", "start", "accept")})
    if body.get("count") is None:
        body.pop("count", None)
    for path in ("/api/v1/series", "/api/v1/series/preview"):
        sent = body if path == "/api/v1/series" else {k: v for k, v in body.items() if k not in ("patient", "notes", "accept")}
        if path.endswith("preview") and field in ("accept",):
            continue
        answer = client.post(path, json=sent)
        assert answer.status_code == 422, (path, answer.json)
        assert answer.content_type == "application/problem+json" and field in answer.json["errors"], answer.json
    assert db.bookings.count_documents({}) == 0 and db.series.count_documents({}) == 0
    assert all(not doc.get("busy") for doc in db.provider_ledgers.find())


def test_two_series_and_single_bookings_racing_for_the_same_visits_never_double_book(app, serve, db, booking_body):
    url = serve(app).url + "/api/v1"
    contenders = ([("series", series_body(count=4))] * 6 + [("series", series_body(count=4, accept="available"))] * 4
                  + [("bookings", booking_body(start="2026-12-21T10:00:00-06:00"))] * 6)
    with ThreadPoolExecutor(max_workers=len(contenders)) as pool:
        statuses = list(pool.map(lambda c: requests.post(f"{url}/{c[0]}", json=c[1], timeout=60).status_code,
                                 contenders))
    assert set(statuses) <= {201, 409}, statuses
    active = list(db.bookings.find({"status": {"$in": ["requested", "confirmed"]}}))
    starts = [b["start"] for b in active]
    assert len(starts) == len(set(starts)) and len(starts) <= 4, starts
    busy = db.provider_ledgers.find_one({"_id": "hannah-brooks"})["busy"]
    assert sorted(e["b"] for e in busy) == sorted(b["_id"] for b in active)
    for series in db.series.find({"accept": "all", "status": "active"}):
        assert len(series["occurrences"]) == 4   # an all-or-nothing series never ends half-booked
