"""The staff history routes at the gateway: a resend reaches notifications and a booking's audit trail reaches
bookings, each with the caller's token (the services authorize and audit them)."""
from clinic_common.auth import issue_token

from .conftest import SECRET

STAFF = {"Authorization": "Bearer " + issue_token(SECRET, "desk", "staff")}


def test_a_resend_reaches_notifications_with_the_token(gateway, services):
    seen = gateway.post("/api/v1/notifications/ev1:confirmation:email/resend", headers=STAFF)
    echoed = seen.get_json()
    assert echoed["service"] == "notifications" and echoed["path"] == "/api/v1/notifications/ev1:confirmation:email/resend"
    assert echoed["headers"]["Authorization"] == STAFF["Authorization"]


def test_a_booking_s_audit_trail_reaches_bookings(gateway, services):
    seen = gateway.get("/api/v1/bookings/b1/audit?limit=5", headers=STAFF).get_json()
    assert seen["service"] == "bookings" and seen["path"] == "/api/v1/bookings/b1/audit"
