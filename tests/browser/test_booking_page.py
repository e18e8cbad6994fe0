"""The booking page in a real browser, through the gateway of a real stack: at a phone's and a desktop's
size, in English and in Spanish, a patient books a clinic visit and a telehealth visit, sees the
confirmation with the manage link, and cancels through that link; each booking is then read back
through the API. axe-core runs on every state the page goes through: no serious or critical violation.

The page runs under its real CSP (no bypass): the import map, the modules and the API calls all have
to get past it. Tests share one stack and one browser (conftest.py); each gets a fresh browser context.
"""
from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import pytest
import requests

pytestmark = [pytest.mark.browser, pytest.mark.system, pytest.mark.integration, pytest.mark.timeout(300)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
LOCALES = {"en": "en-US", "es": "es-ES"}  # the page picks its language from navigator.languages
TEXT = {  # a few strings of web/book-strings.js, to see that the page speaks the patient's language
    "en": {"title": "Book an appointment", "confirmed": "You're booked", "requested": "Request received",
           "cancelled": "Cancelled"},
    "es": {"title": "Reservar una cita", "confirmed": "Su cita está reservada", "requested": "Solicitud recibida",
           "cancelled": "Cancelada"},
}
TELEHEALTH_STATE = "AR"  # the demo practice's therapists are licensed in Arkansas
MANAGE_LINK = re.compile(r"^http://127\.0\.0\.1:\d+/book#manage=([0-9A-Za-z]+)\.([0-9A-Za-z_-]+)$")
MODULES = 25  # book.js and the twenty-four book-*.js it reaches
COMBINATIONS = [pytest.param(size, lang, id=f"{size}-{lang}") for size in VIEWPORTS for lang in LOCALES]


def api(site, path: str, **params) -> dict:
    response = requests.get(f"{site.base_url}/api/v1/{path}", params=params, headers=site.staff_headers(),
                            timeout=10)
    assert response.status_code == 200, f"GET {path}: {response.status_code} {response.text}"
    return response.json()


def has_slots(site, service: dict, location: dict, **params) -> bool:
    first = date.today()
    window = {"from": first.isoformat(), "to": (first + timedelta(days=13)).isoformat()}  # the page's 14 days
    return bool(api(site, "availability", service_id=service["id"], location_id=location["id"], **window,
                    **params)["slots"])


@pytest.fixture(scope="module")
def choices(site) -> dict:
    """The visit types and places to choose, found as the page finds them (nothing hard-coded): an
    in-person visit that is confirmed at once, and a telehealth visit open to a patient in AR."""
    services = sorted(api(site, "services")["services"], key=lambda s: bool(s.get("requires_confirmation")))
    locations = api(site, "locations")["locations"]
    clinics = [loc for loc in locations if "in_person" in loc.get("modalities", [])]
    virtual = [loc for loc in locations if loc not in clinics]
    in_person = next((s, loc) for s in services if "in_person" in s.get("modalities", []) for loc in clinics
                     if has_slots(site, s, loc))
    telehealth = next((s, loc) for s in services if "telehealth" in s.get("modalities", []) for loc in virtual
                      if has_slots(site, s, loc, patient_state=TELEHEALTH_STATE))
    return {"in_person": in_person, "telehealth": telehealth}


@pytest.fixture
def context(browser, site, request, expected_errors):
    """A browser context at the test's size and language; afterwards, no console error (but those the test
    provokes on purpose, `expected_errors`: name fragment -> message text) and every module by its versioned URL."""
    size, lang = request.node.callspec.params["size"], request.node.callspec.params["lang"]
    made = browser.new_context(base_url=site.base_url, viewport=VIEWPORTS[size], locale=LOCALES[lang],
                               is_mobile=size == "phone", has_touch=size == "phone")
    made.set_default_timeout(15_000)
    errors: list[str] = []
    assets: list[str] = []
    made.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    made.on("weberror", lambda error: errors.append(str(error.error)))
    made.on("request", lambda sent: assets.append(sent.url) if "/book/" in sent.url else None)
    yield made
    made.close()
    errors = [e for e in errors if not any(word in request.node.name and text in e
                                           for word, text in expected_errors.items())]
    assert not errors, f"the page logged errors (a CSP refusal is one): {errors}"
    # Every module was fetched by its versioned URL: the import map (allowed by its CSP hash) did its work.
    modules = [url for url in assets if url.split("?")[0].endswith(".js")]
    assert len({url.split("?")[0] for url in modules}) == MODULES, modules
    assert all("?v=" in url for url in assets), assets


def patient(lang: str) -> dict:
    tag = uuid.uuid4().hex[:8]
    return {"name": f"Browser Patient {tag}", "email": f"browser-{tag}@example.com", "phone": "(555) 555-0123",
            "e164": "+15555550123", "language": lang}


def choose_visit(page, check, lang: str, service: dict, location: dict) -> None:
    page.goto("/book")
    assert page.locator("html").get_attribute("lang") == lang
    page.get_by_role("heading", level=1, name=TEXT[lang]["title"]).wait_for()
    service_radio = page.locator(f"#service-options input[value='{service['id']}']")
    service_radio.wait_for()
    check(page, "visit types listed")
    service_radio.check()
    page.locator(f"#location-options input[value='{location['id']}']").check()


def pick_first_time(page, check) -> None:
    page.locator("#find-times").click()
    first = page.locator("#slots button.slot").first
    first.wait_for()
    check(page, "open times listed")
    first.click()
    assert first.get_attribute("aria-pressed") == "true"
    page.locator("#details-section").wait_for()


def fill_and_book(page, check, person: dict, expect_state: str) -> tuple[str, str]:
    page.locator("#book-button").click()  # empty: the form says what is missing, and where
    page.locator("#err-name").wait_for()
    assert page.locator("#patient-name").get_attribute("aria-invalid") == "true"
    check(page, "details with errors")
    assert page.locator("#patient-state").input_value() == expect_state  # suggested from the visit
    page.locator("#patient-name").fill(person["name"])
    page.locator("#patient-email").fill(person["email"])
    page.locator("#patient-phone").fill(person["phone"])
    page.locator("#patient-language").select_option(person["language"])
    check(page, "details filled in")
    page.locator("#book-button").click()
    page.locator("#confirmation").wait_for()
    check(page, "confirmation")
    assert person["email"] in page.locator("#confirmation-lead").inner_text()
    link = page.locator("#manage-link").input_value()
    match = MANAGE_LINK.match(link)
    assert match, link
    assert page.locator("#manage-open").get_attribute("href") == "/" + link.split("/", 3)[3]
    return link, match[1]


def assert_booked(site, booking_id: str, person: dict, service: dict, location: dict, state: str) -> dict:
    booking = api(site, f"bookings/{booking_id}")
    assert booking["status"] in ("confirmed", "requested"), booking
    assert booking["service_id"] == service["id"] and booking["location_id"] == location["id"]
    got = booking["patient"]
    assert (got["name"], got["email"], got["phone"], got["language"], got["state"]) == (
        person["name"], person["email"], person["e164"], person["language"], state)
    return booking


def confirmation_heading(page, lang: str, booking: dict) -> None:
    heading = page.locator("#confirmation-heading").inner_text()
    assert heading == TEXT[lang]["confirmed" if booking["status"] == "confirmed" else "requested"]


@pytest.mark.parametrize("size, lang", COMBINATIONS)
def test_a_patient_books_a_clinic_visit_and_cancels_it_through_the_manage_link(context, site, choices, check_a11y,
                                                                              size, lang):
    service, location = choices["in_person"]
    page = context.new_page()
    choose_visit(page, check_a11y, lang, service, location)
    assert page.locator("#telehealth-fields").is_hidden()
    pick_first_time(page, check_a11y)
    person = patient(lang)
    link, booking_id = fill_and_book(page, check_a11y, person, expect_state=location["address"]["state"])
    booking = assert_booked(site, booking_id, person, service, location, location["address"]["state"])
    confirmation_heading(page, lang, booking)

    manage = context.new_page()  # the patient comes back later with the link
    manage.goto(link)
    manage.locator("#manage-actions").wait_for()
    assert manage.locator("#booking-flow").is_hidden()
    assert person["name"] in manage.locator("#manage-details").inner_text()
    check_a11y(manage, "manage view")
    manage.locator("#cancel-start").click()
    manage.locator("#cancel-reason").fill("Browser test")
    check_a11y(manage, "cancel form")
    manage.locator("#cancel-form button[type=submit]").click()
    manage.locator("#manage-actions").wait_for(state="hidden")
    assert TEXT[lang]["cancelled"] in manage.locator("#manage-details").inner_text()
    check_a11y(manage, "cancelled")
    assert api(site, f"bookings/{booking_id}")["status"] == "cancelled"


@pytest.mark.parametrize("size, lang", COMBINATIONS)
def test_a_patient_books_a_telehealth_visit_from_the_state_they_will_be_in(context, site, choices, check_a11y,
                                                                           size, lang):
    service, location = choices["telehealth"]
    page = context.new_page()
    choose_visit(page, check_a11y, lang, service, location)
    page.locator("#telehealth-fields").wait_for()
    page.locator("#find-times").click()  # no state yet: the page asks for it
    page.locator("#err-visit-state").wait_for()
    check_a11y(page, "telehealth without a state")
    page.locator("#visit-state").select_option(TELEHEALTH_STATE)
    check_a11y(page, "telehealth with a state")
    pick_first_time(page, check_a11y)
    person = patient(lang)
    _, booking_id = fill_and_book(page, check_a11y, person, expect_state=TELEHEALTH_STATE)
    booking = assert_booked(site, booking_id, person, service, location, TELEHEALTH_STATE)
    assert booking["modality"] == "telehealth"
    confirmation_heading(page, lang, booking)
