"""Confirmations, changes and cancellations reach a real SMTP server and SMS webhook once, in the
patient's language and the clinic's local time, with an invite that updates the same calendar event."""
import time
import uuid

from icalendar import Calendar

from testsupport.notifications import booking_data
from testsupport.waiting import wait_for


def new_id():
    return uuid.uuid4().hex


def invite(message) -> Calendar:
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    return Calendar.from_ical(part.get_payload(decode=True))


def event_of(calendar: Calendar):
    [event] = calendar.walk("VEVENT")
    return event


def mails_for(smtp, booking_id):
    return [m for m in smtp.snapshot() if booking_id in str(event_of(invite(m)).get("uid"))]


def test_english_and_spanish_confirmations_with_a_valid_invite(worker, publish, smtp):
    en, es = new_id(), new_id()
    publish("booking.confirmed", booking_data(en, language="en"))
    publish("booking.confirmed", booking_data(es, language="es"))
    assert wait_for(lambda: len(smtp.snapshot()) == 2)
    [english], [spanish] = mails_for(smtp, en), mails_for(smtp, es)

    assert english["Subject"] == "Confirmed: Monday, December 7, 2026 at 9:00 AM CST"
    body = english.get_body(("plain",)).get_content()
    assert "Monday, December 7, 2026, 9:00 AM CST" in body and "2400 Caraway Rd" in body and "(870) 555-0100" in body
    assert spanish["Subject"] == "Cita confirmada: lunes, 7 de diciembre de 2026, 9:00 a. m. CST"
    assert "Cuándo:" in spanish.get_body(("plain",)).get_content()

    for booking_id, mail in ((en, english), (es, spanish)):
        calendar = invite(mail)
        event = event_of(calendar)
        assert str(calendar["METHOD"]) == "REQUEST"
        assert str(event["UID"]) == f"booking-{booking_id}@clinic.example"
        assert event.decoded("DTSTART").isoformat() == "2026-12-07T09:00:00-06:00"
        assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/Chicago"]
        assert mail["To"] == "ana@example.com" and mail["Message-ID"]


def test_reschedule_and_cancellation_update_the_same_calendar_event(worker, publish, smtp):
    booking_id = new_id()
    publish("booking.confirmed", booking_data(booking_id, modality="telehealth",
                                              updated_at="2026-12-01T12:00:00+00:00"))
    assert wait_for(lambda: len(mails_for(smtp, booking_id)) == 1)
    publish("booking.rescheduled", booking_data(booking_id, modality="telehealth", start="2026-12-08T10:00:00-06:00",
                                                updated_at="2026-12-01T12:05:00+00:00", version=2))
    assert wait_for(lambda: len(mails_for(smtp, booking_id)) == 2)
    publish("booking.cancelled", booking_data(booking_id, modality="telehealth", start="2026-12-08T10:00:00-06:00",
                                              status="cancelled", updated_at="2026-12-01T12:09:00+00:00", version=3))
    assert wait_for(lambda: len(mails_for(smtp, booking_id)) == 3)

    mails = mails_for(smtp, booking_id)
    events = [event_of(invite(m)) for m in mails]
    assert len({str(e["UID"]) for e in events}) == 1
    sequences = [int(e["SEQUENCE"]) for e in events]
    assert sequences == sorted(sequences) and len(set(sequences)) == 3
    assert [str(invite(m)["METHOD"]) for m in mails] == ["REQUEST", "REQUEST", "CANCEL"]
    assert str(events[2]["STATUS"]) == "CANCELLED"
    assert events[1].decoded("DTSTART").isoformat() == "2026-12-08T10:00:00-06:00"
    moved = mails[1].get_body(("plain",)).get_content()
    assert "Tuesday, December 8, 2026, 10:00 AM CST" in moved
    assert f"https://video.clinic.example/join/{booking_id}" in moved


def test_one_event_delivered_twice_sends_one_email_and_one_sms(start_worker, publish, smtp, sms):
    start_worker()
    start_worker()  # a second worker process side by side
    booking_id = new_id()
    event = publish("booking.confirmed", booking_data(booking_id, language="es"))
    publish.publisher.publish(event)
    publish.publisher.publish(event)
    assert wait_for(lambda: len(smtp.snapshot()) >= 1 and len(sms.posts) >= 1)
    time.sleep(1.0)  # room for a wrong second copy to arrive
    assert len(mails_for(smtp, booking_id)) == 1
    assert len(sms.posts) == 1
    [post] = sms.posts
    assert post["body"]["to"] == "+15555550123" and post["idempotency_key"] == f"{event.id}:confirmation:sms"
    assert post["body"]["idempotency_key"] == post["idempotency_key"]
    assert post["body"]["body"].startswith("Jonesboro Clinic: Cita confirmada, lun 7 dic, 9:00 a. m. CST.")  # no visit type (lock screen)


def test_the_delivery_log_says_what_was_sent(worker, publish, smtp, log_client):
    booking_id = new_id()
    event = publish("booking.requested", booking_data(booking_id, status="requested"))
    assert wait_for(lambda: {r["status"] for r in log_client(booking_id)} == {"sent"})
    records = log_client(booking_id)
    assert sorted(r["channel"] for r in records) == ["email", "sms"]
    for record in records:
        assert record["kind"] == "request_received" and record["language"] == "en"
        assert record["event_id"] == event.id and record["attempts"] == 1 and record["sent_at"]
        assert record["last_error"] is None
    assert {r["recipient"] for r in records} == {"a***@example.com", "***0123"}
    [mail] = smtp.snapshot()
    parts = [p.get_content_type() for p in mail.walk()]
    assert "text/calendar" not in parts, "a request is not in the calendar yet"


def test_the_delivery_log_is_for_staff_only(log_client, settings):
    from clinic_common.auth import issue_token

    client = log_client.client
    assert client.get("/api/v1/notifications?booking_id=x").status_code == 401
    clinician = issue_token(settings.jwt_secret, "dr", "clinician", provider_id="p1")
    assert client.get("/api/v1/notifications?booking_id=x",
                      headers={"Authorization": f"Bearer {clinician}"}).status_code == 403
    staff = issue_token(settings.jwt_secret, "desk", "staff")
    missing = client.get("/api/v1/notifications", headers={"Authorization": f"Bearer {staff}"})
    assert missing.status_code == 422 and "booking_id" in missing.json["errors"]


def test_an_appointment_request_is_acknowledged_in_the_patients_language(worker, publish, smtp, log_client):
    request_id = new_id()
    publish("appointment_request.created", {
        "id": request_id, "status": "open", "service_id": "therapy-cbt", "modality": "telehealth",
        "location_ids": ["telehealth"], "preferred_days": [], "preferred_times": [], "notes": None,
        "patient": {"name": "Ana Diaz", "email": "ana@example.com", "phone": "+15555550123", "language": "es",
                    "state": "AR"}})
    assert wait_for(lambda: len(smtp.snapshot()) == 1)
    [mail] = smtp.snapshot()
    assert mail["Subject"] == "Recibimos su solicitud de cita"
    response = log_client.client.get(f"/api/v1/notifications?appointment_request_id={request_id}",
                                     headers=log_client.headers)
    assert response.status_code == 200
    assert {(r["kind"], r["appointment_request_id"]) for r in response.json["notifications"]} == {
        ("request_received", request_id)}


def test_a_confirmation_that_arrives_after_the_cancellation_is_never_sent(worker, publish, smtp, log_client):
    """Defect: after an idle minute the confirmation took the relay's slower road and overtook nothing
    but was overtaken: the patient was told "confirmed" after "cancelled". Events apply in version order."""
    booking_id = new_id()
    publish("booking.cancelled", booking_data(booking_id, status="cancelled", version=2))
    assert wait_for(lambda: len(mails_for(smtp, booking_id)) == 1)
    publish("booking.confirmed", booking_data(booking_id, version=1))
    later = new_id()  # a marker event after the late one: once it is mailed, the late one was handled
    publish("booking.confirmed", booking_data(later))
    assert wait_for(lambda: len(mails_for(smtp, later)) == 1)
    assert [str(invite(m)["METHOD"]) for m in mails_for(smtp, booking_id)] == ["CANCEL"]
    assert [r["kind"] for r in log_client(booking_id) if r["channel"] == "email"] == ["cancellation"]


def test_messages_about_one_booking_leave_in_the_order_it_changed(worker, publish, smtp):
    booking_id = new_id()
    for version in range(1, 4):  # three quick changes, published together
        status = "cancelled" if version == 3 else "confirmed"
        kind = {1: "booking.confirmed", 2: "booking.rescheduled", 3: "booking.cancelled"}[version]
        publish(kind, booking_data(booking_id, status=status, version=version, start=f"2026-12-0{6 + version}T09:00:00-06:00"))
    assert wait_for(lambda: len(mails_for(smtp, booking_id)) == 3)
    sequences = [int(event_of(invite(m))["SEQUENCE"]) for m in mails_for(smtp, booking_id)]
    assert sequences == [1, 2, 3]
