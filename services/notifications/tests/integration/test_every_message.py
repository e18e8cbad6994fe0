"""Through the real broker, datastore, SMTP server and SMS webhook: every message about a booking carries a
link bookings would open (none once cancelled), the patient's own clock beside the clinic's, and a
disrupted booking tells the patient what changed and what they may do, in order after its confirmation."""
import uuid

from icalendar import Calendar

from clinic_common.manage_links import link_key, link_opens

from testsupport.notifications import booking_data, utc
from testsupport.waiting import wait_for

CONSENT = {"given_at": "2026-12-01T11:00:00+00:00", "wording_version": "1", "language": "es"}
DISRUPTION = {"reason": "closure", "detail": "Closed: Christmas Day", "detected_at": "2026-12-01T12:00:00+00:00",
              "options": {"reschedule": True, "telehealth": True, "cancel": True}}


def mails_for(smtp, booking_id):
    """The emails about one booking: its id is in the body's links or the invitation's UID."""
    def about(mail) -> bool:
        calendars = [p.get_payload(decode=True).decode() for p in mail.walk() if p.get_content_type() == "text/calendar"]
        return any(booking_id in text for text in [mail.get_body(("plain",)).get_content(), *calendars])
    return [m for m in smtp.snapshot() if about(m)]


def texts_for(sms, booking_id):
    return [post["body"]["body"] for post in sms.posts if booking_id in post["body"]["body"]]


def manage_link(text: str) -> str:
    [link] = {word.rstrip(".,)") for word in text.split() if "#manage=" in word}
    return link


def opens(settings, link: str, stored: dict) -> bool:
    booking_id, _, credential = link.partition("#manage=")[2].partition(".")
    key = link_key(settings.manage_link_secret, settings.jwt_secret)
    return booking_id == stored["id"] and link_opens(key, credential, stored, utc(2026, 12, 2))


def spanish_telehealth(booking_id, **fields):
    """A Delaware patient's telehealth visit with the Arkansas clinic's nurse practitioner, in Spanish."""
    return {**booking_data(booking_id, language="es", modality="telehealth", state="DE", sms_consent=CONSENT,
                           **fields), "patient_state": "DE"}


def test_a_disrupted_booking_is_told_after_its_confirmation_with_the_link_and_both_clocks(start_worker, publish,
                                                                                         smtp, sms):
    settings = start_worker(MANAGE_LINK_SECRET="m" * 32)
    booking_id = str(uuid.uuid4().hex)
    publish("booking.disrupted", {**spanish_telehealth(booking_id, version=2), "disruption": DISRUPTION})
    publish("booking.confirmed", spanish_telehealth(booking_id))
    assert wait_for(lambda: len(mails_for(smtp, booking_id)) == 2 and len(texts_for(sms, booking_id)) == 2)

    confirmed, disrupted = mails_for(smtp, booking_id)  # in the booking's order, whatever order they came in
    assert confirmed["Subject"].startswith("Cita confirmada:")
    body = disrupted.get_body(("plain",)).get_content()
    assert disrupted["Subject"].startswith("NO está cancelada")
    assert "la clínica no abre ese día" in body and "NO está cancelada" in body
    assert "La misma hora como consulta por video" in body
    assert "10:00 a. m. EST (9:00 a. m. CST en la clínica)" in body
    link = manage_link(body)
    assert opens(settings, link, {"id": booking_id, "status": "confirmed"})
    assert not opens(settings, link, {"id": booking_id, "status": "cancelled"})

    first_text, disrupted_text = texts_for(sms, booking_id)
    assert manage_link(disrupted_text) == link and "NO cancelada" in disrupted_text
    assert "therapy" not in first_text + disrupted_text and "Ramírez" not in first_text + disrupted_text
    [part] = [p for p in confirmed.walk() if p.get_content_type() == "text/calendar"]
    [event] = Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")
    assert str(event["DESCRIPTION"]).startswith("Cuándo: lunes, 7 de diciembre de 2026, 10:00 a. m. EST")
    assert opens(settings, str(event["URL"]), {"id": booking_id, "status": "confirmed"})


def test_a_cleared_disruption_sends_nothing_and_a_cancellation_sends_no_manage_link(worker, publish, smtp, log_client):
    booking_id = str(uuid.uuid4().hex)
    publish("booking.confirmed", spanish_telehealth(booking_id))
    publish("booking.disrupted", {**spanish_telehealth(booking_id, version=2), "disruption": None})
    publish("booking.cancelled", spanish_telehealth(booking_id, version=3, status="cancelled"))
    assert wait_for(lambda: len(mails_for(smtp, booking_id)) == 2)
    kinds = sorted(record["kind"] for record in log_client(booking_id) if record["channel"] == "email")
    assert kinds == ["cancellation", "confirmation"]
    cancelled = mails_for(smtp, booking_id)[1].get_body(("plain",)).get_content()
    assert "#manage=" not in cancelled and "http://127.0.0.1:8080/book" in cancelled and "(870) 555-0160" in cancelled
