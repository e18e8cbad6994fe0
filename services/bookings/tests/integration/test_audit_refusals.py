"""Every access decision on patient data leaves an audit entry, refusals included, and what a client
put in the URL or in X-Request-ID reaches the trail bounded and plain."""
import pytest

STAFF_ACTIONS = [("confirm", "confirm"), ("check-in", "check_in"), ("complete", "complete"), ("no-show", "no_show")]


def _trail(db, target_id):
    return [(e["action"], e["actor"], e["outcome"]) for e in db.audit.find({"target_ids": target_id}).sort("at", 1)]


@pytest.mark.parametrize("path, action", STAFF_ACTIONS)
def test_refused_staff_transitions_are_audited(client, book, db, clinician, path, action):
    booking = book()
    as_patient = {"X-Manage-Token": booking["manage_token"]}
    assert client.post(f"/api/v1/bookings/{booking['id']}/{path}", headers=as_patient).status_code == 401
    assert client.post(f"/api/v1/bookings/{booking['id']}/{path}", headers=clinician("hannah-brooks")).status_code == 403
    assert _trail(db, booking["id"])[1:] == [(f"booking.{action}", "manage-token", 401),
                                             (f"booking.{action}", "dr", 403)]


def test_a_refused_list_is_audited(client, db):
    assert client.get("/api/v1/bookings?location_id=jonesboro").status_code == 401
    assert client.get("/api/v1/bookings", headers={"Authorization": "Bearer forged"}).status_code == 401
    entries = list(db.audit.find({"action": "booking.list"}).sort("at", 1))
    assert [(e["actor"], e["outcome"], e["target_ids"]) for e in entries] == [
        ("public", 401, []), ("invalid-token", 401, [])]


def test_a_granted_list_names_what_it_showed(client, book, db, staff):
    booking = book()
    assert client.get("/api/v1/bookings?location_id=jonesboro", headers=staff).status_code == 200
    assert ("booking.list", "front-desk", 200) in _trail(db, booking["id"])


def test_client_supplied_identifiers_reach_the_trail_bounded_and_plain(client, db, staff):
    long_id = "bk_" + "x" * 5000
    odd_request_id = "évil-ünïcode" + "z" * 300
    assert client.get(f"/api/v1/bookings/{long_id}", headers={"X-Request-ID": odd_request_id}).status_code == 404
    assert client.post("/api/v1/bookings/bk_%0a%1b[31mred/cancel", json={}, headers=staff).status_code == 404
    read, cancel = list(db.audit.find({}).sort("at", 1))
    assert len(read["target_ids"][0]) <= 80 and read["target_ids"][0].startswith("bk_xxx")
    assert read["request_id"] != odd_request_id and len(read["request_id"]) <= 64 and read["request_id"].isalnum()
    assert cancel["target_ids"] == ["bk_[31mred"]
