"""Reads of the delivery log are access to patient data: each one, refused or not, leaves an audit entry
in the notifications database, with ids and actors only."""
from notifications import create_app


def test_every_read_of_the_delivery_log_is_audited(make_app, service_db, staff, clinician):
    client = make_app(create_app).test_client()
    assert client.get("/api/v1/notifications?booking_id=bk_1", headers=staff).status_code == 200
    assert client.get("/api/v1/notifications?booking_id=bk_1").status_code == 401
    assert client.get("/api/v1/notifications?booking_id=bk_1", headers=clinician("hannah-brooks")).status_code == 403
    assert client.get("/api/v1/notifications?appointment_request_id=ar_2", headers=staff).status_code == 200
    assert client.get("/api/v1/notifications", headers=staff).status_code == 422
    trail = list(service_db("notifications").audit.find({}, {"_id": 0}).sort("at", 1))
    assert [(e["action"], e["actor"], e["role"], e["outcome"], e["target_ids"]) for e in trail] == [
        ("notification.list", "front-desk", "staff", 200, ["bk_1"]),
        ("notification.list", "public", None, 401, ["bk_1"]),
        ("notification.list", "dr", "clinician", 403, ["bk_1"]),
        ("notification.list", "front-desk", "staff", 200, ["ar_2"]),
        ("notification.list", "front-desk", "staff", 422, [])]
    assert all(e["request_id"] and e["target_type"] == "notification" for e in trail)
