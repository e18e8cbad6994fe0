"""Issue 12's booking page in Chromium through the gateway of a real stack: the whole horizon a week at a time,
errors shown where they are, add-to-calendar, Spanish names and the SMS consent's exact wording, the patient's
own clock (a Delaware patient sees only the prescriber licensed there, in Eastern time beside the clinic's),
why nothing fits and the appointment request, two browsers racing for one time, and a booking made with the
keyboard alone. axe-core on every state: no serious or critical violation.
"""
from __future__ import annotations

import re
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.test_booking_page import LOCALES, VIEWPORTS, api, choices, context, patient  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.system, pytest.mark.integration, pytest.mark.timeout(300)]

DANGER = "rgb(163, 45, 45)"  # book.css --danger


def fill_patient(page, person: dict) -> None:
    page.locator("#patient-name").fill(person["name"])
    page.locator("#patient-email").fill(person["email"])
    page.locator("#patient-phone").fill(person["phone"])


def national(phone: str) -> str:
    return f"({phone[2:5]}) {phone[5:8]}-{phone[8:]}"


def comes_into_view(page, selector: str) -> None:
    """The element ends up wholly inside the viewport (the page may scroll smoothly to it)."""
    page.wait_for_function("""(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
        return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }""", arg=selector, timeout=5000)


@pytest.fixture
def expected_errors():
    """The race's loser is refused its hold (409), as it should be: the page logs it."""
    return {"race": "status of 409"}


@pytest.mark.parametrize("size, lang", [pytest.param("phone", "en", id="phone-en")])
def test_in_person_on_a_phone_across_the_horizon_with_errors_shown_and_a_calendar_file(context, site, choices,
                                                                                        check_a11y, size, lang):
    service, location = choices["in_person"]
    page = context.new_page()
    page.goto("/book")
    page.locator("#service-options input").first.wait_for()
    page.locator("#find-times").click()  # nothing chosen yet
    expect(page.locator("#status")).to_have_text("Choose a visit type.")
    check_a11y(page, "choose a visit, with its error")
    page.locator(f"#service-options input[value='{service['id']}']").check()
    expect(page.locator("#status")).to_be_empty()  # the stale "Choose a visit type." goes once chosen
    page.locator(f"#location-options input[value='{location['id']}']").check()
    page.locator("#find-times").click()
    page.locator("#slots button.slot").first.wait_for()
    check_a11y(page, "open times")
    expect(page.locator("#week-prev")).to_have_attribute("aria-disabled", "true")  # not before today

    # The last week of the horizon (today + booking_horizon_days in the clinic's zone), by the date field.
    horizon = api(site, "bookings/policy")["booking_horizon_days"]
    today = datetime.now(ZoneInfo(location["timezone"])).date()
    last = (today + timedelta(days=int(horizon))).isoformat()
    with page.expect_response(lambda r: "/api/v1/availability?" in r.url) as asked:
        page.locator("#week-date").fill(last)
    assert f"from={last}" in asked.value.url and f"to={last}" in asked.value.url, asked.value.url
    expect(page.locator("#week-next")).to_have_attribute("aria-disabled", "true")
    with page.expect_response(lambda r: "/api/v1/availability?" in r.url) as back:
        page.locator("#week-prev").click()
    week = (date.fromisoformat(last) - timedelta(days=7)).isoformat()
    assert f"from={week}" in back.value.url, back.value.url
    expect(page.locator("#week-next")).to_have_attribute("aria-disabled", "false")
    page.locator("#week-date").fill(today.isoformat())
    first = page.locator("#slots button.slot").first
    expect(first).to_be_visible()
    expect(page.locator("#status")).to_contain_text("open times from")
    page.locator(".lang[data-lang='es']").click()  # the week and its count are worded again in Spanish
    expect(page.locator("#status")).to_contain_text("horarios disponibles del")
    expect(page.locator("#week-label")).to_contain_text("del ")
    page.locator(".lang[data-lang='en']").click()
    expect(page.locator("#week-label")).not_to_contain_text("del ")
    first.click()
    page.locator("#details-section").wait_for()

    page.locator("#book-button").click()  # empty: each invalid field is marked and visibly bordered
    page.locator("#err-name").wait_for()
    for field in ("#patient-name", "#patient-email", "#patient-phone"):
        assert page.locator(field).get_attribute("aria-invalid") == "true"
        border = page.locator(field).evaluate("(n) => [getComputedStyle(n).borderTopColor, getComputedStyle(n).borderTopWidth]")
        assert border == [DANGER, "2px"], (field, border)
    check_a11y(page, "details with errors")
    person = patient(lang)
    fill_patient(page, person)
    page.locator("#book-button").click()
    page.locator("#confirmation").wait_for()
    check_a11y(page, "confirmation")
    booking_id = re.search(r"#manage=([0-9A-Za-z]+)\.", page.locator("#manage-link").input_value())[1]
    booking = api(site, f"bookings/{booking_id}")
    details = page.locator("#confirmation-details").inner_text()
    shown = location.get("phone_display") or national(location["phone"])
    assert shown in details and location["phone"] not in details
    assert page.locator(f"#confirmation-details a[href='tel:{location['phone']}']").count() == 1

    with page.expect_download() as downloaded:
        page.locator("#add-calendar").click()
    ics = Path(downloaded.value.path()).read_text("utf-8", newline="")
    start = datetime.fromisoformat(booking["start"]).astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    end = datetime.fromisoformat(booking["end"]).astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and ics.endswith("END:VCALENDAR\r\n")
    assert f"\r\nDTSTART:{start}\r\n" in ics and f"\r\nDTEND:{end}\r\n" in ics, ics
    assert f"UID:{booking_id}@" in ics and "TZID" not in ics  # UTC instants: no zone to get wrong
    assert downloaded.value.suggested_filename == "appointment.ics"


@pytest.mark.parametrize("size, lang", [pytest.param("desktop", "es", id="desktop-es")])
def test_a_spanish_telehealth_booking_with_spanish_names_and_the_served_sms_consent(context, site, choices,
                                                                                    check_a11y, size, lang):
    service, location = choices["telehealth"]
    consent = requests.get(f"{site.base_url}/api/v1/bookings/sms-consent", timeout=10)
    assert consent.status_code == 200, consent.text
    wording = consent.json()
    page = context.new_page()
    page.goto("/book")
    radio = page.locator(f"#service-options input[value='{service['id']}']")
    radio.wait_for()
    spanish = service["translations"]["es"]["name"]
    expect(page.locator("#service-options")).to_contain_text(spanish)
    radio.check()
    page.locator(f"#location-options input[value='{location['id']}']").check()
    page.locator("#visit-state").select_option("AR")
    expect(page.locator("#visit-state option[value='AR']")).to_have_text("AR · Arkansas")
    expect(page.locator("#visit-state option[value='NY']")).to_have_text("NY · Nueva York")  # the API's Spanish names
    page.locator("#find-times").click()
    page.locator("#slots button.slot").first.click()
    page.locator("#details-section").wait_for()
    expect(page.locator("#chosen-slot")).to_contain_text(spanish)
    box = page.locator("#sms-consent")
    expect(box).to_be_visible()
    assert not box.is_checked()  # unticked until the patient ticks it
    expect(page.locator("#sms-consent-label")).to_have_text(wording["texts"]["es"])
    check_a11y(page, "details with the SMS consent")
    person = patient(lang)
    fill_patient(page, person)
    box.check()
    with page.expect_request(lambda r: r.url.endswith("/api/v1/bookings") and r.method == "POST") as sent:
        page.locator("#book-button").click()
    assert sent.value.post_data_json["patient"]["sms_consent"] is True
    page.locator("#confirmation").wait_for()
    check_a11y(page, "a Spanish confirmation")
    booking_id = re.search(r"#manage=([0-9A-Za-z]+)\.", page.locator("#manage-link").input_value())[1]
    booking = api(site, f"bookings/{booking_id}")
    assert booking["modality"] == "telehealth" and booking["patient"]["language"] == "es"
    assert booking["patient"]["sms_consent"]["wording_version"] == wording["version"]
    assert booking["patient"]["sms_consent"]["language"] == "es"


@pytest.mark.parametrize("size, lang", [pytest.param("desktop", "en", id="desktop-en")])
def test_a_delaware_patient_sees_only_the_prescriber_licensed_there_in_eastern_time_beside_the_clinics(
        context, site, check_a11y, size, lang):
    providers = api(site, "providers")["providers"]
    licensed = {p["id"] for p in providers if "DE" in p["licensed_states"] and "med-follow-up" in p["service_ids"]}
    assert len(licensed) == 1
    page = context.new_page()
    page.goto("/book")
    page.locator("#service-options input[value='med-follow-up']").check()
    page.locator("#location-options input[value='telehealth']").check()
    page.locator("#visit-state").select_option("TX")  # a state with two zones: the page asks which
    expect(page.locator("#visit-zone-field")).to_be_visible()
    assert page.locator("#visit-zone option").count() >= 3  # "Choose a time zone" and the state's zones
    check_a11y(page, "a state with two zones")
    page.locator("#visit-state").select_option("DE")
    expect(page.locator("#visit-zone-field")).to_be_hidden()  # one zone: nothing to ask
    with page.expect_response(lambda r: "/api/v1/availability?" in r.url) as asked:
        page.locator("#find-times").click()
    slots = asked.value.json()["slots"]
    assert slots and {s["provider_id"] for s in slots} == licensed
    buttons = page.locator("#slots button.slot")
    buttons.first.wait_for()
    name = next(p["name"] for p in providers if p["id"] in licensed)
    for text in buttons.all_inner_texts():
        assert name in text, text
        assert re.search(r"\d:\d\d [AP]M EST\s+\(\d{1,2}:\d\d [AP]M CST at the clinic\)", text), text
    expect(page.locator("#slots-zone")).to_contain_text("Eastern")
    check_a11y(page, "times in two zones")
    buttons.first.click()
    expect(page.locator("#chosen-slot")).to_contain_text("CST at the clinic")
    assert page.locator("#patient-state").input_value() == "DE"  # suggested from the visit
    person = patient(lang)
    fill_patient(page, person)
    page.locator("#book-button").click()
    page.locator("#confirmation").wait_for()
    expect(page.locator("#confirmation-details")).to_contain_text("CST at the clinic")
    expect(page.locator("#confirmation-details")).to_contain_text(name)
    check_a11y(page, "a confirmation in two zones")
    booking_id = re.search(r"#manage=([0-9A-Za-z]+)\.", page.locator("#manage-link").input_value())[1]
    booking = api(site, f"bookings/{booking_id}")
    assert booking["provider_id"] in licensed and booking["patient"]["state"] == "DE"


@pytest.mark.parametrize("size, lang", [pytest.param("phone", "en", id="phone-en")])
def test_no_clinician_licensed_in_the_state_is_said_and_the_patient_asks_the_clinic_to_call(context, site,
                                                                                           check_a11y, size, lang):
    page = context.new_page()
    page.goto("/book")
    page.locator("#service-options input[value='med-follow-up']").check()
    page.locator("#location-options input[value='telehealth']").check()
    page.locator("#visit-state").select_option("WY")
    page.locator("#find-times").click()
    expect(page.locator("#slots-why")).to_contain_text("No clinician licensed in Wyoming")
    expect(page.locator("#waitlist-open")).to_be_visible()
    check_a11y(page, "nothing fits")
    page.locator("#request-open").click()
    expect(page.locator("#request-heading")).to_be_focused()
    check_a11y(page, "the request form")
    page.locator("#rq-submit").click()
    expect(page.locator("#err-rq-name")).to_be_visible()
    assert page.locator("#rq-email").get_attribute("aria-invalid") == "true"
    check_a11y(page, "the request form with errors")
    person = patient(lang)
    page.locator("#rq-name").fill(person["name"])
    page.locator("#rq-email").fill(person["email"])
    page.locator("#rq-phone").fill(person["phone"])
    page.locator("#rq-day-tue").check()
    page.locator("#rq-time-morning").check()
    with page.expect_response(lambda r: r.url.endswith("/api/v1/appointment-requests")) as answered:
        page.locator("#rq-submit").click()
    assert answered.value.status == 201, answered.value.text()
    expect(page.locator("#rq-done-heading")).to_be_focused()
    check_a11y(page, "request sent")
    made = api(site, f"appointment-requests/{answered.value.json()['id']}")
    assert made["service_id"] == "med-follow-up" and made["modality"] == "telehealth"
    assert made["preferred_days"] == ["tue"] and made["preferred_times"] == ["morning"]
    assert made["patient"]["state"] == "WY" and made["patient"]["email"] == person["email"]


@pytest.mark.parametrize("size, lang", [pytest.param("phone", "en", id="phone-en")])
def test_race_two_browsers_pick_one_time_one_wins_the_other_is_told_in_view(browser, context, site, choices,
                                                                            check_a11y, size, lang):
    service, location = choices["in_person"]
    other = browser.new_context(base_url=site.base_url, viewport=VIEWPORTS[size], locale=LOCALES[lang],
                                is_mobile=True, has_touch=True)
    try:
        pages = [context.new_page(), other.new_page()]
        for page in pages:
            page.goto("/book")
            page.locator(f"#service-options input[value='{service['id']}']").check()
            page.locator(f"#location-options input[value='{location['id']}']").check()
            page.locator("#find-times").click()
            page.locator("#slots button.slot").nth(3).wait_for()
        winner, loser = pages
        winner.locator("#slots button.slot").nth(3).click()
        fill_patient(winner, patient(lang))
        winner.locator("#book-button").click()
        winner.locator("#confirmation").wait_for()

        loser.locator("#slots button.slot").nth(3).click()  # the same time, listed before it went
        message = loser.locator("#slots-message")
        expect(message).to_be_visible()
        expect(message).to_contain_text("someone just booked that time")
        expect(message).to_be_focused()
        comes_into_view(loser, "#slots-message")  # on a phone, where the patient is looking
        assert loser.locator("#slots button.slot").count() > 0
        expect(loser.locator("#details-section")).to_be_hidden()
        check_a11y(loser, "a time just taken")
    finally:
        other.close()


def tab_to(page, selector: str, most: int = 120, back: bool = False) -> None:
    """Tab (or Shift+Tab) until the focused element matches `selector` (keyboard only)."""
    for _ in range(most):
        if page.evaluate("(sel) => document.activeElement && document.activeElement.matches(sel)", selector):
            return
        page.keyboard.press("Shift+Tab" if back else "Tab")
    raise AssertionError(f"Tab never reached {selector}")


@pytest.mark.parametrize("size, lang", [pytest.param("desktop", "en", id="desktop-en")])
def test_a_booking_made_with_the_keyboard_alone(context, site, check_a11y, size, lang):
    page = context.new_page()
    page.goto("/book")
    page.locator("#service-options input").first.wait_for()
    tab_to(page, "#service-options input")
    page.keyboard.press("Space")
    tab_to(page, "#location-options input")
    page.keyboard.press("Space")
    tab_to(page, "#find-times")
    page.keyboard.press("Enter")
    page.locator("#slots button.slot").first.wait_for()
    tab_to(page, "#week-next")
    page.keyboard.press("Enter")  # a week on, and back, by keyboard
    expect(page.locator("#week-prev")).to_have_attribute("aria-disabled", "false")
    tab_to(page, "#week-prev", back=True)
    page.keyboard.press("Space")
    expect(page.locator("#week-prev")).to_have_attribute("aria-disabled", "true")
    page.locator("#slots button.slot").first.wait_for()
    tab_to(page, "#slots button.slot")
    page.keyboard.press("Enter")
    expect(page.locator("#details-heading")).to_be_focused()
    person = patient(lang)
    for field, text in (("#patient-name", person["name"]), ("#patient-email", person["email"]),
                        ("#patient-phone", person["phone"])):
        tab_to(page, field)
        page.keyboard.type(text)
    tab_to(page, "#book-button")
    page.keyboard.press("Enter")
    expect(page.locator("#confirmation-heading")).to_be_focused()
    booking_id = re.search(r"#manage=([0-9A-Za-z]+)\.", page.locator("#manage-link").input_value())[1]
    assert api(site, f"bookings/{booking_id}")["patient"]["email"] == person["email"]


def test_the_api_docs_have_no_serious_accessibility_failures(browser, site, check_a11y):
    made = browser.new_context(base_url=site.base_url, viewport=VIEWPORTS["desktop"])
    try:
        page = made.new_page()
        page.goto("/api/docs")
        expect(page.locator("#operations .op").first).to_be_visible()
        expect(page.locator("#auth-heading")).to_be_visible()
        check_a11y(page, "/api/docs")
    finally:
        made.close()


@pytest.mark.parametrize("size, lang", [pytest.param("phone", "en", id="phone-en")])
def test_a_patient_in_a_two_zone_state_picks_their_zone_and_the_booking_carries_it(context, site, check_a11y,
                                                                                  size, lang):
    """Last in this module: it licenses the in-house psychiatrist in Texas (Central and Mountain time)."""
    provider = api(site, "providers/grace-okafor")
    licensed = requests.patch(f"{site.base_url}/api/v1/providers/grace-okafor", headers=site.staff_headers(),
                              timeout=20, json={"licensed_states": sorted({*provider["licensed_states"], "TX"})})
    assert licensed.status_code == 200, licensed.text
    first = date.today()
    window = {"from": first.isoformat(), "to": (first + timedelta(days=20)).isoformat()}
    for _ in range(80):  # bookings drops its cached windows on provider.updated
        if api(site, "availability", service_id="med-follow-up", location_id="telehealth", patient_state="TX",
               **window)["slots"]:
            break
        time.sleep(0.25)
    page = context.new_page()
    page.goto("/book")
    page.locator("#service-options input[value='med-follow-up']").check()
    page.locator("#location-options input[value='telehealth']").check()
    page.locator("#visit-state").select_option("TX")
    page.locator("#find-times").click()
    buttons = page.locator("#slots button.slot")
    buttons.first.wait_for()
    assert "at the clinic" not in buttons.first.inner_text()  # no zone chosen yet: the clinic's clock alone
    page.locator("#visit-zone").select_option("America/Denver")
    expect(buttons.first).to_contain_text("MST")
    expect(buttons.first).to_contain_text("CST at the clinic")
    check_a11y(page, "times on the chosen zone's clock")
    buttons.first.click()
    fill_patient(page, patient(lang))
    with page.expect_request(lambda r: r.url.endswith("/api/v1/bookings") and r.method == "POST") as sent:
        page.locator("#book-button").click()
    assert sent.value.post_data_json["patient"]["timezone"] == "America/Denver"
    page.locator("#confirmation").wait_for()
    expect(page.locator("#confirmation-details")).to_contain_text("MST")
    booking_id = re.search(r"#manage=([0-9A-Za-z]+)\.", page.locator("#manage-link").input_value())[1]
    booking = api(site, f"bookings/{booking_id}")
    assert booking["patient"]["timezone"] == "America/Denver" and booking["patient"]["state"] == "TX"
