"""GET /bookings/{id}/audit: staff read who touched a booking, newest first and paged; the read is audited."""
from urllib.parse import quote

from clinic_common.auth import issue_token


def test_staff_read_the_trail_newest_first_with_no_patient_details(client, book, staff, db, clock):
    booking = book()
    assert client.get(f"/api/v1/bookings/{booking['id']}", headers=staff).status_code == 200
    answer = client.get(f"/api/v1/bookings/{booking['id']}/audit", headers=staff)
    assert answer.status_code == 200, answer.json
    entries = answer.json["entries"]
    assert [e["action"] for e in entries[:2]] == ["booking.read", "booking.create"]
    assert entries[0]["actor"] == {"kind": "staff", "subject": "front-desk", "credential": None}
    assert entries[0]["outcome"] == 200 and answer.json["next_before"] is None
    text = str(answer.json)
    assert booking["manage_token"] not in text and "ana@example.com" not in text and "Ana Diaz" not in text
    read = list(db.audit.find({"action": "booking.audit_read", "target_ids": booking["id"]}))
    assert [(e["actor"], e["outcome"]) for e in read] == [("front-desk", 200)]


def test_a_patient_s_own_read_is_shown_as_the_patient_without_the_token(client, book, staff):
    booking = book()
    client.get(f"/api/v1/bookings/{booking['id']}", headers={"X-Manage-Token": booking["manage_token"]})
    entries = client.get(f"/api/v1/bookings/{booking['id']}/audit", headers=staff).json["entries"]
    assert entries[0]["actor"] == {"kind": "patient", "subject": None, "credential": "manage_token"}


def test_pages_follow_next_before(client, book, staff):
    booking = book()
    for _ in range(3):
        client.get(f"/api/v1/bookings/{booking['id']}", headers=staff)
    first = client.get(f"/api/v1/bookings/{booking['id']}/audit?limit=2", headers=staff).json
    assert len(first["entries"]) == 2 and first["next_before"]
    second = client.get(f"/api/v1/bookings/{booking['id']}/audit?limit=2&before={quote(first['next_before'])}",
                        headers=staff).json
    assert second["entries"] and second["entries"][0]["at"] <= first["entries"][-1]["at"]
    seen = [e["at"] + e["action"] for e in first["entries"] + second["entries"]]
    assert len(seen) == len(set(seen))


def test_refusals(client, book, staff, clinician, settings, db):
    booking = book()
    path = f"/api/v1/bookings/{booking['id']}/audit"
    assert client.get(path).status_code == 401
    assert client.get(path, headers=clinician("hannah-brooks")).status_code == 403
    assert client.get(path, headers={"X-Manage-Token": booking["manage_token"]}).status_code == 401
    missing = client.get("/api/v1/bookings/bk_nosuchbooking0000/audit", headers=staff)
    assert missing.status_code == 404 and missing.content_type == "application/problem+json"
    bad = client.get(f"{path}?limit=0", headers=staff)
    assert bad.status_code == 422 and bad.content_type == "application/problem+json"
    outcomes = sorted(e["outcome"] for e in db.audit.find({"action": "booking.audit_read", "target_ids": booking["id"]}))
    assert outcomes == [401, 401, 403, 422]


def test_an_admin_reads_it_too(client, book, settings):
    booking = book()
    admin = {"Authorization": "Bearer " + issue_token(settings.jwt_secret, "boss", "admin")}
    assert client.get(f"/api/v1/bookings/{booking['id']}/audit", headers=admin).status_code == 200
