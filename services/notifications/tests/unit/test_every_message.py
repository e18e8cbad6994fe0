"""What every message to a patient says (issue 12): a link that manages the booking (none once it is
cancelled: where to book again instead), times on the patient's clock beside the clinic's, Spanish
throughout (catalog names, states, the invitation), and SMS that a lock screen may show."""
from datetime import datetime, timedelta, timezone

import pytest
from icalendar import Calendar

from clinic_common.events import Event
from clinic_common.manage_links import link_key, link_opens

from notifications.config import load_notification_settings
from notifications.content import Composer
from notifications.domain.manage_link import ManageLinks
from notifications.domain.sms_text import segments
from notifications.events.handlers import check, notification_docs
from testsupport.notifications import booking_data, series_data, visit_data

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
PAGE = "http://127.0.0.1:8080/book"
KEY = link_key("manage-secret-for-tests", "jwt-secret-for-tests-at-least-32-bytes")
composer = Composer("appointments@clinic.example", "https://video.clinic.example/join", PAGE,
                    manage_links=ManageLinks(PAGE, KEY, 14))
BOOKING = "b" * 32
BOOKING_KINDS = ("confirmation", "reschedule", "reminder", "request_received", "booking_disrupted")
DISRUPTION = {"reason": "closure", "detail": "Closed: holiday", "detected_at": "2026-12-01T10:00:00+00:00",
              "options": {"reschedule": True, "telehealth": False, "cancel": True}}
ACROSS_MARCH = ["2027-03-04T09:00:00-06:00", "2027-03-11T09:00:00-06:00", "2027-03-18T09:00:00-05:00"]
SPANISH_NAMES = {"service": {"name": "Medication management", "duration_minutes": 30,
                             "translations": {"es": {"name": "Control de medicamentos", "description": "…"}}}}


def booking(kind: str = "confirmation", **fields) -> dict:
    status = "cancelled" if kind == "cancellation" else "requested" if kind == "request_received" else "confirmed"
    extra = {key: fields.pop(key) for key in ("patient_state", "disruption", "service", "location") if key in fields}
    data = booking_data(BOOKING, status=fields.pop("status", status), **fields)
    if kind == "booking_disrupted":
        data["disruption"] = DISRUPTION
    return {**data, **extra}


def compose(kind: str, data: dict, offset_hours=24):
    return composer.compose({"kind": kind, "data": data, "offset_hours": offset_hours}, NOW)


def plan_message(event_type: str, data: dict, channel: str = "email"):
    event = Event(type=event_type, data=data)
    [doc] = [d for d in notification_docs(event, check(event)) if d["channel"] == channel]
    return composer.compose(doc, NOW)


def links_in(text: str) -> list[str]:
    return [word.rstrip(".,)") for word in text.split() if "#manage=" in word]


def opened(url: str, stored: dict, now=NOW) -> bool:
    """Would bookings open `stored` (its stored document) with this link? The page sends the fragment's parts."""
    booking_id, _, credential = url.partition("#manage=")[2].partition(".")
    return booking_id == stored["id"] and link_opens(KEY, credential, stored, now)


def unfolded(ics: bytes) -> str:
    return ics.decode().replace("\r\n ", "")


# --- A link in every message ---------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("kind", BOOKING_KINDS)
def test_every_message_about_a_booking_carries_a_link_that_opens_that_booking_only(kind, language):
    data = booking(kind, language=language)
    message = compose(kind, data)
    [link] = set(links_in(message.text))
    assert links_in(message.sms) == [link]
    stored = {"id": BOOKING, "status": data["status"]}
    assert opened(link, stored)
    assert not opened(link.replace(BOOKING, "c" * 32), {**stored, "id": "c" * 32})  # another booking's
    assert not opened(link, {**stored, "status": "cancelled"})  # revoked by cancelling
    if message.ics:
        [event] = Calendar.from_ical(message.ics).walk("VEVENT")
        assert str(event["URL"]) == link and link in unfolded(message.ics).replace("\\", "")


def test_the_link_is_a_booking_credential_that_expires_the_set_time_after_the_visit():
    data = booking(start="2026-12-07T09:00:00-06:00", end="2026-12-07T09:50:00-06:00")
    [link] = set(links_in(compose("confirmation", data).text))
    assert ".m1-b-" in link  # kind: booking
    visit_end = datetime(2026, 12, 7, 15, 50, tzinfo=timezone.utc)
    expires = int(link.split(".m1-b-")[1].split("-")[0])
    assert expires == int((visit_end + timedelta(days=14)).timestamp())
    stored = {"id": BOOKING, "status": "confirmed"}
    assert opened(link, stored, visit_end + timedelta(days=13, hours=23))
    assert not opened(link, stored, visit_end + timedelta(days=14, seconds=1))


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_series_message_links_the_series_on_its_first_booked_visit(language):
    data = series_data("s" * 32, ACROSS_MARCH, language=language)
    ids = [o["booking_id"] for o in data["occurrences"]]
    for channel in ("email", "sms"):
        message = plan_message("series.created", data, channel)
        [link] = set(links_in(message.text if channel == "email" else message.sms))
        assert f"#manage={ids[0]}.m1-s-" in link
        assert opened(link, {"id": ids[0], "series_id": "s" * 32, "status": "confirmed"})
        assert not opened(link, {"id": ids[0], "series_id": "z" * 32, "status": "confirmed"})
    last_end = datetime.fromisoformat(data["occurrences"][-1]["end"])
    assert int(link.split(".m1-s-")[1].split("-")[0]) == int((last_end + timedelta(days=14)).timestamp())
    # Each visit's calendar event opens the page on that visit, with the series' credential.
    events = Calendar.from_ical(plan_message("series.created", data).ics).walk("VEVENT")
    for booking_id, event in zip(ids, events):
        assert str(event["URL"]).startswith(f"{PAGE}#manage={booking_id}.m1-s-")


def test_a_series_cancellation_links_what_stays_and_offers_booking_again_when_nothing_does():
    some = series_data("s" * 32, ACROSS_MARCH, statuses=["confirmed", "cancelled", "cancelled"], version=2)
    message = plan_message("series.cancelled", some)
    [link] = set(links_in(message.text))
    assert f"#manage={some['occurrences'][0]['booking_id']}.m1-s-" in link
    events = {str(e["STATUS"]): e for e in Calendar.from_ical(message.ics).walk("VEVENT")}
    assert "URL" not in events["CANCELLED"]
    every = series_data("s" * 32, ACROSS_MARCH, statuses=["cancelled"] * 3, version=2)
    for channel in ("email", "sms"):
        gone = plan_message("series.cancelled", every, channel)
        assert "#manage=" not in gone.text + gone.sms
    assert PAGE in plan_message("series.cancelled", every).text


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_combined_visit_links_the_visit_on_its_first_part(language):
    data = visit_data("v" * 32, language=language)
    for channel in ("email", "sms"):
        message = plan_message("visit.booked", data, channel)
        [link] = set(links_in(message.text if channel == "email" else message.sms))
        assert f"#manage={'t' * 32}.m1-v-" in link
        assert opened(link, {"id": "t" * 32, "visit_id": "v" * 32, "status": "confirmed"})
        assert opened(link.replace("t" * 32, "m" * 32), {"id": "m" * 32, "visit_id": "v" * 32, "status": "confirmed"})
    email = plan_message("visit.booked", data).text
    assert ("view, move or cancel them" if language == "en" else "verlas, cambiarlas o cancelarlas") in email


@pytest.mark.parametrize("language, again", [("en", "To book again"), ("es", "Para otra cita")])
def test_a_cancellation_carries_no_manage_link_but_the_page_and_the_clinics_phone(language, again):
    message = compose("cancellation", booking("cancellation", language=language))
    everything = message.text + message.sms + unfolded(message.ics)
    assert "#manage=" not in everything and "URL:" not in unfolded(message.ics)
    assert PAGE in message.text and "(870) 555-0100" in message.text
    assert again in message.sms and PAGE in message.sms and "(870) 555-0100" in message.sms
    visit = plan_message("visit.cancelled", visit_data("v" * 32, status="cancelled", version=2, language=language))
    assert "#manage=" not in visit.text and PAGE in visit.text


def test_events_carry_no_credential_the_composer_mints_it_from_the_settings():
    settings = load_notification_settings({"CLINIC_ENV": "development", "JWT_SECRET": "j" * 32,
                                           "MANAGE_LINK_SECRET": "m" * 32, "MANAGE_LINK_DAYS_AFTER_VISIT": "3",
                                           "BOOKING_PAGE_URL": "https://clinic.example/book"})
    message = Composer.from_settings(settings).compose({"kind": "confirmation", "data": booking()}, NOW)
    [link] = set(links_in(message.text))
    assert link.startswith("https://clinic.example/book#manage=")
    booking_id, _, credential = link.partition("#manage=")[2].partition(".")
    stored = {"id": booking_id, "status": "confirmed"}
    assert link_opens(link_key("m" * 32, "other"), credential, stored, NOW)
    assert not link_opens(link_key("", "j" * 32), credential, stored, NOW)  # the JWT-derived key is only a fallback
    visit_end = datetime(2026, 12, 7, 15, 50, tzinfo=timezone.utc)
    assert not link_opens(link_key("m" * 32, ""), credential, stored, visit_end + timedelta(days=3, seconds=1))


# --- The patient's own clock ---------------------------------------------------------------------------

@pytest.mark.parametrize("language, day, clocks", [
    ("en", "Monday, December 7, 2026", "10:00 AM EST (9:00 AM CST at the clinic)"),
    ("es", "lunes, 7 de diciembre de 2026", "10:00 a. m. EST (9:00 a. m. CST en la clínica)")])
def test_a_delaware_telehealth_patient_of_an_arkansas_clinic_reads_eastern_time_beside_the_clinics(language, day,
                                                                                                   clocks):
    data = booking(language=language, modality="telehealth", state="AR", patient_state="DE")
    message = compose("confirmation", data)
    assert message.subject.endswith(clocks)
    assert f"{day}, {clocks}" in compose("cancellation", {**data, "status": "cancelled"}).text
    assert ("10:00 AM EST" if language == "en" else "10:00 a. m. EST") in message.sms
    assert ("9:00 AM CST at the clinic" if language == "en" else "9:00 a. m. CST en la clínica") in \
        unfolded(message.ics).replace("\\", "")
    [event] = Calendar.from_ical(message.ics).walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "America/Chicago"  # calendars convert it themselves


def test_a_local_patient_reads_the_clinics_clock_once():
    message = compose("confirmation", booking())
    assert message.subject == "Confirmed: Monday, December 7, 2026 at 9:00 AM CST"
    assert "at the clinic" not in message.text + message.sms and message.text.count("9:00 AM CST") == 1


@pytest.mark.parametrize("timezone_chosen, shown", [
    (None, "9:00 AM CST"),  # Texas has two zones: without the patient's choice, only the clinic's clock
    ("America/Denver", "8:00 AM MST (9:00 AM CST at the clinic)"),
    ("America/New_York", "9:00 AM CST"),  # not a Texas zone: ignored rather than trusted
])
def test_a_patient_in_a_state_with_two_zones_sees_their_own_only_when_they_chose_it(timezone_chosen, shown):
    fields = {"timezone": timezone_chosen} if timezone_chosen else {}
    message = compose("confirmation", booking(modality="telehealth", state="TX", patient_state="TX", **fields))
    assert message.subject.endswith(f"at {shown}")
    assert ("at the clinic" in message.text) == ("clinic)" in shown)


def test_an_in_person_patient_is_placed_by_their_own_state():
    # patient_state only says where a telehealth patient is; in person, the patient's state is theirs.
    message = compose("reminder", booking(state="DE", patient_state="AR"))
    assert message.subject == "Reminder: your appointment tomorrow, 10:00 AM EST (9:00 AM CST at the clinic)"
    assert "When:  Monday, December 7, 2026, 10:00 AM EST (until 10:50 AM; 9:00 AM CST at the clinic)" in message.text


# --- Spanish throughout ---------------------------------------------------------------------------------

def test_a_spanish_invitation_is_worded_in_spanish():
    data = booking(language="es", modality="telehealth", state="DE")
    [event] = Calendar.from_ical(compose("confirmation", data).ics).walk("VEVENT")
    description = str(event["DESCRIPTION"])
    assert description.startswith("Cuándo: lunes, 7 de diciembre de 2026")
    assert "Consulta por video (telesalud): https://video.clinic.example/join/" in description
    assert "Esté en Delaware durante la consulta." in description and "Teléfono: (870) 555-0160" in description
    assert "Ver, cambiar o cancelar: http" in description
    assert "Telehealth" not in description and "When" not in description
    assert str(event["SUMMARY"]) == "Individual therapy: CBT con Lucía Ramírez"


def test_catalog_names_come_from_their_spanish_translation_and_fall_back_to_the_name():
    location = {**booking_data(BOOKING)["location"], "translations": {"es": {"name": "Clínica de Jonesboro"}}}
    spanish = compose("confirmation", booking(language="es", location=location, **SPANISH_NAMES))
    assert "Control de medicamentos con Lucía Ramírez" in spanish.text and "Clínica de Jonesboro" in spanish.text
    assert "Medication management" not in spanish.text
    assert str(Calendar.from_ical(spanish.ics).walk("VEVENT")[0]["SUMMARY"]).startswith("Control de medicamentos")
    english = compose("confirmation", booking(language="en", location=location, **SPANISH_NAMES))
    assert "Medication management" in english.text and "Jonesboro Clinic" in english.text
    untranslated = compose("confirmation", booking(language="es", service={"name": "Intake"}))
    assert "Intake con" in untranslated.text


# --- SMS on a lock screen -------------------------------------------------------------------------------

def every_sms(language: str, location_name: str | None = None, **fields) -> dict[str, str]:
    """Every kind's SMS for one patient: a booking's, a series', a combined visit's, a waitlist offer's."""
    def place(data):
        if location_name:
            for holder in [data, *data.get("occurrences", []), *data.get("parts", [])]:
                if "location" in holder:
                    holder["location"] = {**holder["location"], "name": location_name}
        return data
    found = {kind: compose(kind, place(booking(kind, language=language, **fields))).sms
             for kind in BOOKING_KINDS + ("cancellation",)}
    plans = {"series_confirmation": ("series.created", series_data("s" * 32, ACROSS_MARCH, language=language)),
             "series_cancellation": ("series.cancelled", series_data("s" * 32, ACROSS_MARCH, language=language,
                                                                      statuses=["confirmed", "cancelled", "cancelled"])),
             "visit_confirmation": ("visit.booked", visit_data("v" * 32, language=language)),
             "visit_cancellation": ("visit.cancelled", visit_data("v" * 32, status="cancelled", language=language))}
    for kind, (event_type, data) in plans.items():
        if fields.get("patient_state"):
            data["patient_state"] = fields["patient_state"]
        found[kind] = plan_message(event_type, place(data), "sms").sms
    return found


@pytest.mark.parametrize("language", ["en", "es"])
def test_no_sms_names_the_visit_type_the_provider_or_anything_clinical(language):
    for kind, sms in every_sms(language, **SPANISH_NAMES).items():
        for private in ("therapy", "CBT", "Medication", "medicamentos", "Lucía", "Lucia", "Grace", "Okafor",
                        "PMHNP", "LCSW", "Individual", "Control de"):
            assert private.lower() not in sms.lower(), (kind, private, sms)
        assert "Jonesboro Clinic" in sms, kind


@pytest.mark.parametrize("language, stop", [("en", "Reply STOP to opt out, HELP for help."),
                                            ("es", "Responda STOP para no recibir mas, HELP para ayuda.")])
def test_every_sms_stays_within_two_parts_with_a_long_clinic_name_and_two_clocks(language, stop):
    long_name = "Northeast Arkansas Family Counseling Center of Paragould"
    for kind, sms in every_sms(language, long_name, modality="telehealth", state="DE").items():
        assert segments(sms) <= 2, (kind, len(sms), sms)
        assert sms.endswith(stop) and "Northeast Arkansas" in sms, kind
    # Two clocks were shown, so the worst case was measured.
    assert "(9:00" in every_sms(language, long_name, modality="telehealth", state="DE")["confirmation"]


@pytest.mark.parametrize("text, parts", [("a" * 160, 1), ("a" * 161, 2), ("a" * 306, 2), ("a" * 307, 3),
                                         ("á" * 70, 1), ("á" * 71, 2), ("{" * 80, 1), ("{" * 81, 2)])
def test_sms_parts_are_counted_as_carriers_count_them(text, parts):
    assert segments(text) == parts


def test_a_short_spanish_sms_keeps_its_accents_a_long_one_is_spelled_in_the_gsm_alphabet():
    from notifications.domain.sms_text import sms_text

    assert sms_text("Está en la lista de espera. Responda STOP para no recibir más.") == \
        "Está en la lista de espera. Responda STOP para no recibir más."
    long = "Cita en la clínica, " * 8 + "Responda STOP para no recibir más."
    assert sms_text(long) == long.replace("í", "i").replace("á", "a") and segments(sms_text(long)) <= 2


def test_every_kind_has_an_english_and_a_spanish_template_with_its_three_blocks():
    from pathlib import Path

    from notifications.api.notifications import KINDS

    templates = Path(__file__).parents[2] / "notifications" / "templates"
    for kind in KINDS:
        for language in ("en", "es"):
            text = (templates / language / f"{kind}.j2").read_text()
            assert all(f"{{% block {block} %}}" in text for block in ("subject", "body", "sms")), (language, kind)


@pytest.mark.parametrize("language, clocks", [("en", "10:00 AM EST (9:00 AM CST at the clinic)"),
                                              ("es", "10:00 a. m. EST (9:00 a. m. CST en la clínica)")])
def test_a_waitlist_offer_reads_on_the_patients_clock_too(language, clocks):
    data = booking_data("x" * 32, language=language, modality="telehealth", state="DE")
    entry = {"id": "e" * 32, "patient": data["patient"], "patient_state": "DE", "until": "2026-12-31",
             "offer": {"id": "o" * 32, "modality": "telehealth", "start": data["start"], "end": data["end"],
                       "expires_at": "2026-12-01T12:15:00+00:00",
                       **{k: data[k] for k in ("service", "provider", "location")}}}
    message = composer.compose({"kind": "waitlist_offer", "source": "waitlist", "data": entry}, NOW)
    assert message.subject.endswith(clocks) and clocks.split(" (")[0] in message.sms
    assert "therapy" not in message.sms.lower() and "Ramírez" not in message.sms
