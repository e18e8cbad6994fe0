"""Waitlist messages: an offer by email and SMS in English and Spanish, with a link that accepts in one
step (its credential bookings can check), and the short "you're on the list" and "it ran out" ones."""
import pytest

from clinic_common.events import Event
from clinic_common.messaging.consumer import PermanentFailure

from notifications.content import Composer
from notifications.domain.offer_link import link_credential, link_key
from notifications.events.handlers import EventHandler, notification_docs
from testsupport.notifications import booking_data, utc

NOW = utc(2026, 12, 1, 12, 0)
KEY = link_key("", "jwt-secret-for-tests-at-least-32-bytes")
composer = Composer("appointments@clinic.example", "https://video.clinic.example/join",
                    "https://clinic.example/book", KEY)
ENTRY, OFFER = "e" * 32, "o" * 32


def entry_data(language="en", offered=True, reason=None, modality="in_person") -> dict:
    booking = booking_data("x" * 32, language=language, modality=modality)
    data = {"id": ENTRY, "status": "offered" if offered else "waiting", "service_id": "therapy-cbt",
            "modality": modality, "location_ids": [booking["location_id"]], "provider_id": None, "language": None,
            "patient_state": "AR", "windows": [{"days": ["mon"], "from": "08:00", "to": "12:00"}],
            "until": "2026-12-31", "joined_at": "2026-11-20T12:00:00+00:00", "booking_id": None, "version": 2,
            "updated_at": "2026-12-01T12:00:00+00:00", "patient": booking["patient"], "reason": reason, "offer": None}
    if offered:
        data["offer"] = {"id": OFFER, "provider_id": "lucia-ramirez", "location_id": booking["location_id"],
                         "service_id": "therapy-cbt", "modality": modality, "start": booking["start"],
                         "end": booking["end"], "expires_at": "2026-12-01T12:15:00+00:00",
                         **{k: booking[k] for k in ("service", "provider", "location")}}
    return data


def compose(kind, data):
    return composer.compose({"kind": kind, "source": "waitlist", "data": data}, NOW)


def test_the_link_credential_is_the_one_bookings_checks():
    assert KEY == link_key("jwt-secret-for-tests-at-least-32-bytes", "ignored")
    # The same vector as bookings' tests/unit/test_waitlist_matching.py.
    assert link_credential(KEY, ENTRY, OFFER) == f"{ENTRY}.{OFFER}.TQKFmJfiKA_ahB6-9CyPSyP0fwxx1bjs"


@pytest.mark.parametrize("language, subject, held", [
    ("en", "A time opened up: Monday, December 7, 2026, 9:00 AM CST", "until 6:15 AM CST"),
    ("es", "Se liberó una hora: lunes, 7 de diciembre de 2026, 9:00 a. m. CST", "hasta las 6:15 a. m. CST")])
def test_an_offer_says_when_where_how_long_it_is_held_and_links_a_one_step_accept(language, subject, held):
    message = compose("waitlist_offer", entry_data(language))
    url = f"https://clinic.example/book#offer={ENTRY}.{OFFER}.TQKFmJfiKA_ahB6-9CyPSyP0fwxx1bjs"
    assert message.subject == subject
    assert url in message.text and url in message.sms and held in message.text and held in message.sms
    assert "Jonesboro Clinic" in message.text and "Lucía Ramírez" in message.text
    assert message.ics is None


def test_a_telehealth_offer_says_so_without_an_address():
    message = compose("waitlist_offer", entry_data(modality="telehealth"))
    assert "Telehealth video visit" in message.text and "Caraway" not in message.text


@pytest.mark.parametrize("kind, reason, language, words", [
    ("waitlist_joined", None, "en", "You're on the waitlist"),
    ("waitlist_joined", None, "es", "Está en la lista de espera"),
    ("waitlist_expired", "offer_ran_out", "en", "gone to the next person"),
    ("waitlist_expired", "offer_ran_out", "es", "pasó a la siguiente persona"),
    ("waitlist_expired", "entry_ended", "en", "Your waitlist entry has ended"),
    ("waitlist_expired", "entry_ended", "es", "Su lugar en la lista de espera terminó"),
])
def test_joining_and_expiry_are_short_messages_in_the_patients_language(kind, reason, language, words):
    message = compose(kind, entry_data(language, offered=False, reason=reason))
    assert words in message.subject + message.sms and message.text.strip()


@pytest.mark.parametrize("event_type, kind", [
    ("waitlist.joined", "waitlist_joined"), ("waitlist.offered", "waitlist_offer"),
    ("waitlist.expired", "waitlist_expired")])
def test_each_waitlist_event_is_one_email_and_one_sms_about_the_entry(event_type, kind):
    event = Event(type=event_type, data=entry_data(offered=event_type == "waitlist.offered"))
    docs = notification_docs(event, None)
    assert [(d["kind"], d["channel"]) for d in docs] == [(kind, "email"), (kind, "sms")]
    assert {d["waitlist_id"] for d in docs} == {ENTRY} and {d["booking_id"] for d in docs} == {None}
    assert {d["source"] for d in docs} == {"waitlist"}


def test_waitlist_booked_sends_nothing_of_its_own():
    """The accepted offer's booking.confirmed tells the patient."""
    assert notification_docs(Event(type="waitlist.booked", data=entry_data()), None) == []


@pytest.mark.parametrize("data", [
    {**entry_data(), "offer": None}, {**entry_data(), "patient": None},
    {**entry_data(), "offer": {**entry_data()["offer"], "start": "soon"}}])
def test_an_offer_event_missing_what_its_message_needs_is_parked(data):
    handler = EventHandler(lambda: None, (24, 2), lambda: NOW)
    with pytest.raises(PermanentFailure):
        handler(Event(type="waitlist.offered", data=data))
