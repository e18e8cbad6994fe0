"""The SMS gateway's inbound webhook at the gateway: routed to notifications without a staff token, its
signature header and its raw body passed on untouched (notifications checks the HMAC over those bytes);
the booking page's public answers (SMS consent wording, patients' zones) routed to bookings."""


def test_an_inbound_text_reaches_notifications_with_its_signature_and_its_exact_body(gateway, services):
    raw = b'{"from": "+15555550123",  "body": "STOP"}'  # odd spacing: re-encoding would break the MAC
    seen = gateway.post("/api/v1/notifications/sms/inbound", data=raw, content_type="application/json",
                        headers={"X-SMS-Signature": "sha256=abc"})
    assert seen.status_code == 201  # the fake service's answer to any POST: it got there
    echoed = seen.get_json()
    assert echoed["service"] == "notifications" and echoed["path"] == "/api/v1/notifications/sms/inbound"
    assert echoed["headers"]["X-SMS-Signature"] == "sha256=abc" and "Authorization" not in echoed["headers"]
    assert echoed["body"] == raw.decode()


def test_the_pages_patient_answers_reach_bookings(gateway, services):
    for path in ("/api/v1/bookings/sms-consent", "/api/v1/bookings/patient-zones"):
        seen = gateway.get(path).get_json()
        assert seen["service"] == "bookings" and seen["path"] == path
