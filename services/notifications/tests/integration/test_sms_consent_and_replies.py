"""SMS consent and patients' texts back, with the real worker, datastore and SMS webhook: no SMS without
consent (the log says why), STOP through the signed inbound webhook silences the number (its reply in the
language of its last message, with the clinic's phone for HELP) until START; a wrong signature changes nothing."""
import json
import time

import pytest

from clinic_common.versioned import new_id

from notifications import create_app
from notifications.api.sms_inbound import SIGNATURE, signature_of
from notifications.domain.sms_consent import NO_CONSENT, OPTED_OUT
from testsupport.notifications import booking_data
from testsupport.waiting import wait_for

SECRET = "inbound-secret-of-the-sms-gateway"
NUMBER = "+15555550123"


@pytest.fixture
def inbound(make_app, worker_env):
    client = make_app(create_app, SMS_INBOUND_SECRET=SECRET, PRACTICE_PHONE="+18705550199",
                      SMS_WEBHOOK_URL=worker_env["SMS_WEBHOOK_URL"]).test_client()

    def text(body, number=NUMBER, secret=SECRET, **extra):
        raw = json.dumps({"from": number, "body": body, **extra}).encode()
        return client.post("/api/v1/notifications/sms/inbound", data=raw, content_type="application/json",
                           headers={SIGNATURE: signature_of(secret, raw)})

    text.client = client
    return text


def _sms_records(log_client, booking_id):
    return [r for r in log_client(booking_id) if r["channel"] == "sms"]


def test_a_booking_without_consent_gets_its_email_and_no_sms_and_the_log_says_why(worker, publish, smtp, sms,
                                                                                  log_client):
    booking_id = new_id()
    publish("booking.confirmed", booking_data(booking_id, sms_consent=None))
    assert wait_for(lambda: {r["channel"]: r["status"] for r in log_client(booking_id)} == {"email": "sent",
                                                                                             "sms": "skipped"})
    [record] = _sms_records(log_client, booking_id)
    assert record["last_error"] == NO_CONSENT
    time.sleep(0.3)
    assert sms.posts == []


def test_stop_silences_the_number_until_start_and_each_is_answered(worker, publish, sms, log_client, inbound):
    first = new_id()
    publish("booking.confirmed", booking_data(first, language="es"))
    assert wait_for(lambda: len(sms.posts) == 1)
    stopped = inbound(" Stop ", id="msg-1")
    assert stopped.status_code == 200 and stopped.json == {"action": "opted_out", "reply_sent": True}
    reply = sms.posts[-1]["body"]
    assert reply["to"] == NUMBER and reply["body"].startswith("La clínica: ya no recibirá")  # its last message: es
    second = new_id()
    publish("booking.confirmed", booking_data(second))
    assert wait_for(lambda: [r["status"] for r in _sms_records(log_client, second)] == ["skipped"])
    assert _sms_records(log_client, second)[0]["last_error"] == OPTED_OUT
    assert len(sms.posts) == 2  # the first confirmation and the STOP reply, nothing since
    started = inbound("START")
    assert started.json == {"action": "opted_in", "reply_sent": True}
    third = new_id()
    publish("booking.confirmed", booking_data(third))
    assert wait_for(lambda: [r["status"] for r in _sms_records(log_client, third)] == ["sent"])


def test_help_names_the_clinic_of_the_last_message_or_the_practice_phone(worker, publish, sms, inbound):
    helped = inbound("AYUDA", number="+15555550177")  # nothing sent to it yet: its keyword's language
    assert helped.json == {"action": "help", "reply_sent": True}
    assert sms.posts[-1]["body"]["body"] == ("La clínica: mensajes sobre sus citas. Para obtener ayuda, llame al "
                                             "(870) 555-0199. Pueden aplicarse tarifas de mensajes y datos. Responda "
                                             "STOP para no recibir más.")
    publish("booking.confirmed", booking_data(new_id()))
    assert wait_for(lambda: len(sms.posts) == 2)
    assert inbound("help").json["action"] == "help"
    assert "For help, call (870) 555-0100." in sms.posts[-1]["body"]["body"]  # the Jonesboro clinic's


@pytest.mark.parametrize("headers", [{}, {SIGNATURE: "sha256=00"}, {SIGNATURE: signature_of("another", b"{}")}])
def test_a_call_without_the_gateways_signature_is_401_and_changes_nothing(worker, inbound, sms, service_db, headers):
    raw = json.dumps({"from": NUMBER, "body": "STOP"}).encode()
    refused = inbound.client.post("/api/v1/notifications/sms/inbound", data=raw, content_type="application/json",
                                  headers=headers)
    assert refused.status_code == 401 and refused.content_type == "application/problem+json"
    assert inbound("STOP", secret="not the secret").status_code == 401
    assert service_db("notifications").sms_optouts.count_documents({}) == 0 and sms.posts == []


def test_without_a_secret_every_call_is_refused(make_app, test_env):
    client = make_app(create_app, **test_env).test_client()
    raw = json.dumps({"from": NUMBER, "body": "STOP"}).encode()
    answer = client.post("/api/v1/notifications/sms/inbound", data=raw, content_type="application/json",
                         headers={SIGNATURE: signature_of("", raw)})
    assert answer.status_code == 401


@pytest.mark.parametrize("body", [{"from": "5555550123", "body": "STOP"}, {"from": NUMBER}, {"body": "STOP"},
                                  {"from": NUMBER, "body": "x" * 1601}])
def test_a_signed_but_malformed_body_is_422(inbound, body, service_db):
    raw = json.dumps(body).encode()
    answer = inbound.client.post("/api/v1/notifications/sms/inbound", data=raw, content_type="application/json",
                                 headers={SIGNATURE: signature_of(SECRET, raw)})
    assert answer.status_code == 422 and answer.content_type == "application/problem+json"
    assert service_db("notifications").sms_optouts.count_documents({}) == 0


def test_any_other_text_is_acknowledged_and_left_alone(inbound, sms):
    assert inbound("can I move my 9am?").json == {"action": "none", "reply_sent": False}
    assert sms.posts == []
