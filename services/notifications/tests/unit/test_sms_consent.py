"""No SMS without consent, none to a number that replied STOP, and what STOP, START and HELP are answered.
Against fakes of the repositories and the channel; the wording rules are pure."""
import pytest

from clinic_common.events import Event

from notifications.content import Composer
from notifications.delivery.handoff import Handoff
from notifications.delivery.reminders import reminder_notifications
from notifications.delivery.sender import Sender
from notifications.domain.sms_consent import NO_CONSENT, OPTED_OUT, has_sms_consent, skip_fields
from notifications.domain.sms_keywords import HELP, START, STOP, Keyword, keyword_of, reply_language, reply_text
from notifications.events.handlers import EventHandler
from testsupport.notifications import booking_data, sms_consent, utc

NOW = utc(2026, 12, 1, 12, 0)


@pytest.mark.parametrize("patient, consented", [
    ({"sms_consent": sms_consent()}, True), ({"sms_consent": None}, False), ({}, False), (None, False),
    ({"sms_consent": True}, False), ({"sms_consent": {"wording_version": "1.x"}}, False)])
def test_consent_is_the_record_bookings_keeps(patient, consented):
    assert has_sms_consent(patient) is consented


def test_an_sms_without_consent_is_skipped_and_email_is_not_touched():
    assert skip_fields("sms", {"sms_consent": None}) == {"status": "skipped", "last_error": NO_CONSENT}
    assert skip_fields("email", {"sms_consent": None}) == {}
    assert skip_fields("sms", {"sms_consent": sms_consent()}) == {}
    assert skip_fields("sms", {}, {"sms": "SMS is off"}) == {"status": "skipped", "last_error": "SMS is off"}


def test_a_booking_without_consent_records_its_sms_as_skipped_and_hands_only_the_email_over(stores):
    handoff = Handoff()
    event = Event(type="booking.confirmed", data=booking_data("b1", sms_consent=None),
                  occurred_at="2026-11-01T00:00:00+00:00")
    EventHandler(lambda: stores, (24, 2), lambda: NOW, handoff)(event)
    sms, email = stores.notes.docs[f"{event.id}:confirmation:sms"], stores.notes.docs[f"{event.id}:confirmation:email"]
    assert (sms["status"], sms["last_error"]) == ("skipped", NO_CONSENT) and email["status"] == "pending"
    assert handoff.waiting() == [email["_id"]]


def test_a_reminder_of_a_booking_without_consent_skips_its_sms_too():
    data = booking_data("b1", sms_consent=None)
    reminder = {"_id": "b1:1440m", "booking_id": "b1", "armed_by": "e1", "data": data, "start": NOW,
                "offset_hours": 24, "due_at": NOW}
    by_channel = {doc["channel"]: doc for doc in reminder_notifications(reminder)}
    assert by_channel["sms"]["status"] == "skipped" and by_channel["sms"]["last_error"] == NO_CONSENT
    assert "status" not in by_channel["email"]
    consented = {doc["channel"]: doc for doc in reminder_notifications({**reminder, "data": booking_data("b1")})}
    assert "status" not in consented["sms"]


class OptOuts:
    def __init__(self, *numbers):
        self.numbers = set(numbers)

    def is_opted_out(self, number):
        return number in self.numbers


class Reminders:
    def still_going_out(self, *_):
        return True


def _send_sms(delivery_log, channel, optouts) -> dict:
    note = {"_id": "e1:confirmation:sms", "kind": "confirmation", "channel": "sms", "recipient": "+15555550123",
            "booking_id": "b1", "booking_version": 1, "data": booking_data("b1"), "attempts": 0}
    log = delivery_log(note)
    sender = Sender(log, Reminders(), Composer("a@clinic.example", "https://v.example/join"), {"sms": channel},
                    lambda: NOW, token="t", max_attempts=5, retry_base_s=10.0, lease_s=60.0, optouts=optouts)
    assert sender.deliver_next()
    [(fields, _event)] = log.settled
    return fields


def test_a_number_that_replied_stop_is_asked_about_just_before_sending_and_skipped(delivery_log, channel):
    assert _send_sms(delivery_log, channel, OptOuts("+15555550123")) == {"status": "skipped",
                                                                         "last_error": OPTED_OUT}
    assert channel.sent == []
    assert _send_sms(delivery_log, channel, OptOuts("+15555550199"))["status"] == "sent" and len(channel.sent) == 1


@pytest.mark.parametrize("text, action, language", [
    ("STOP", STOP, "en"), (" stop. ", STOP, "en"), ("StopAll", STOP, "en"), ("UNSUBSCRIBE", STOP, "en"),
    ("cancel", STOP, "en"), ("End", STOP, "en"), ("quit!", STOP, "en"), ("Parar", STOP, "es"),
    ("START", START, "en"), ("unstop", START, "en"), ("HELP", HELP, "en"), ("¿Ayuda?", HELP, "es")])
def test_keywords_are_the_whole_message_in_any_case(text, action, language):
    assert keyword_of(text) == Keyword(action, language)


@pytest.mark.parametrize("text", ["please stop the 9am one", "", None, "stopp", "yes"])
def test_anything_else_is_no_keyword(text):
    assert keyword_of(text) is None


def test_the_reply_follows_the_numbers_last_message_else_the_keywords_language():
    assert reply_language(Keyword(HELP, "es"), "en") == "en"
    assert reply_language(Keyword(HELP, "en"), "es") == "es"
    assert reply_language(Keyword(HELP, "es"), None) == "es"
    assert reply_language(Keyword(STOP, "en"), None) == "en"


def test_replies_name_the_practice_and_help_gives_the_phone():
    assert reply_text(STOP, "en", "Delta Health") == ("Delta Health: you will no longer get text messages from us "
                                                      "at this number. Reply START to get them again.")
    assert reply_text(STOP, "es").startswith("La clínica: ya no recibirá mensajes")
    assert "For help, call (870) 555-0100." in reply_text(HELP, "en", "", "(870) 555-0100")
    assert "llame al (870) 555-0100." in reply_text(HELP, "es", "", "(870) 555-0100")
    assert "call" not in reply_text(HELP, "en") and "STOP" in reply_text(HELP, "en")
    assert "Reply STOP to opt out, HELP for help." in reply_text(START, "en")
