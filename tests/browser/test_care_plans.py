"""Care plans on the booking page, in Chromium through the gateway of a real stack: a weekly series of
4 visits previewed and booked, a series whose preview shows a week already taken booked with "free
dates only", and a therapy visit with a medication check the same day booked as one combined visit.
Each is read back through the API (bookings sharing one series_id, or one visit_id). Every scenario
runs at a phone's and a desktop's size, once in English and once in Spanish; axe-core checks each
new state of the page (no serious or critical violation).
"""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.test_booking_page import LOCALES, MANAGE_LINK, VIEWPORTS, api, context, patient  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.system, pytest.mark.integration, pytest.mark.timeout(300)]

TEXT = {
    "en": {"series": "Your visits are booked", "visit": "Both visits are booked",
           "add": "Add a medication check the same day", "free_only": "Book the free dates only"},
    "es": {"series": "Sus consultas están reservadas", "visit": "Las dos consultas están reservadas",
           "add": "Agregar una revisión de medicamentos el mismo día", "free_only": "Reservar solo las fechas libres"},
}
THERAPY, MEDICATION = "therapy-cbt", "med-follow-up"  # the demo practice's; checked to exist below
# Each scenario at both sizes and in both languages, in two runs rather than four.
PAIRS = [pytest.param("phone", "en", id="phone-en"), pytest.param("desktop", "es", id="desktop-es")]
SWAPPED = [pytest.param("desktop", "en", id="desktop-en"), pytest.param("phone", "es", id="phone-es")]


def page_window(zone: str) -> dict:
    """The days the page asks for: 14 from today in the clinic's zone."""
    today = datetime.now(ZoneInfo(zone)).date()
    return {"from": today.isoformat(), "to": (today + timedelta(days=13)).isoformat()}


@pytest.fixture(scope="module")
def plan_places(site) -> dict:
    """A clinic with open therapy times (for the series), and one with same-day therapy + medication pairs."""
    services = {s["id"]: s for s in api(site, "services")["services"]}
    assert THERAPY in services and MEDICATION in services, sorted(services)
    clinics = [loc for loc in api(site, "locations")["locations"] if "in_person" in loc.get("modalities", [])]
    series = next(loc for loc in clinics
                  if api(site, "availability", service_id=THERAPY, location_id=loc["id"], **page_window(loc["timezone"]))["slots"])
    combined = next(loc for loc in clinics if api(site, "availability/combined", service_ids=f"{THERAPY},{MEDICATION}",
                                                  location_id=loc["id"], **page_window(loc["timezone"]))["options"])
    return {"service": services[THERAPY], "series": series, "combined": combined}


def open_visit(page, check, lang: str, location: dict) -> None:
    page.goto("/book")
    assert page.locator("html").get_attribute("lang") == lang
    radio = page.locator(f"#service-options input[value='{THERAPY}']")
    radio.wait_for()
    radio.check()
    page.locator(f"#location-options input[value='{location['id']}']").check()


def first_time(page) -> None:
    page.locator("#find-times").click()
    first = page.locator("#slots button.slot").first
    first.wait_for()
    first.click()
    page.locator("#details-section").wait_for()


def fill_details(page, person: dict) -> None:
    page.locator("#patient-name").fill(person["name"])
    page.locator("#patient-email").fill(person["email"])
    page.locator("#patient-phone").fill(person["phone"])
    page.locator("#patient-language").select_option(person["language"])


def repeat_weekly(page, count: int) -> None:
    page.locator("#repeat-options input[value='1']").check()
    page.locator("#repeat-count").fill(str(count))
    page.locator("#repeat-count").press("Tab")  # `change`: the dates are checked again
    page.locator("#series-dates li").nth(count - 1).wait_for()
    assert page.locator("#series-dates li").count() == count


def book_and_confirm(page, check, lang: str, kind: str) -> str:
    page.locator("#book-button").click()
    page.locator("#confirmation").wait_for()
    assert page.locator("#confirmation-heading").inner_text() == TEXT[lang][kind]
    check(page, f"{kind} confirmation")
    link = page.locator("#manage-link").input_value()
    match = MANAGE_LINK.match(link)
    assert match, link
    return link, match[1]


def series_of(site, booking_id: str) -> tuple[dict, list[dict]]:
    series = api(site, f"series/{api(site, f'bookings/{booking_id}')['series_id']}")
    bookings = [api(site, f"bookings/{o['booking_id']}") for o in series["occurrences"]]
    assert {b["series_id"] for b in bookings} == {series["id"]}
    return series, bookings


@pytest.mark.parametrize("size, lang", PAIRS)
def test_a_weekly_series_of_four_visits_is_previewed_and_booked(context, site, plan_places, check_a11y, size, lang):
    page = context.new_page()
    open_visit(page, check_a11y, lang, plan_places["series"])
    first_time(page)
    check_a11y(page, "repeat choices")
    repeat_weekly(page, 4)
    assert page.locator("#series-dates li.free").count() == 4
    assert page.locator("#series-choice").is_hidden()  # nothing to decide: every date is free
    check_a11y(page, "series preview, all free")
    person = patient(lang)
    fill_details(page, person)
    link, booking_id = book_and_confirm(page, check_a11y, lang, "series")
    assert page.locator("#confirmation-details ul li").count() == 4

    series, bookings = series_of(site, booking_id)
    assert series["every_weeks"] == 1 and len(bookings) == 4
    assert all(b["status"] == "confirmed" and b["patient"]["email"] == person["email"] for b in bookings)
    starts = [datetime.fromisoformat(b["start"]) for b in bookings]
    assert [later - earlier for earlier, later in zip(starts, starts[1:])] == [timedelta(days=7)] * 3

    manage = context.new_page()  # the series' link lists every visit of the series
    manage.goto(link)
    manage.locator("#manage-plan-list li").nth(3).wait_for()
    assert manage.locator("#manage-plan-list li").count() == 4
    check_a11y(manage, "manage view of a series")


@pytest.mark.parametrize("size, lang", SWAPPED)
def test_a_series_with_a_week_taken_is_booked_on_its_free_dates_only(context, site, plan_places, check_a11y, size, lang):
    location = plan_places["series"]
    slots = api(site, "availability", service_id=THERAPY, location_id=location["id"],
                **page_window(location["timezone"]))["slots"]
    first = slots[0]  # the time the page lists first; someone else books its second week
    taken = (datetime.fromisoformat(first["start"]) + timedelta(days=7)).isoformat()
    other = {"service_id": THERAPY, "provider_id": first["provider_id"], "location_id": location["id"],
             "start": taken, "patient": {**{k: v for k, v in patient("en").items() if k != "e164"},
                                         "phone": "+15555550199", "state": "AR"}}
    made = requests.post(f"{site.base_url}/api/v1/bookings", json=other, timeout=15,
                         headers={"Idempotency-Key": str(uuid.uuid4())})
    assert made.status_code == 201, made.text

    page = context.new_page()
    open_visit(page, check_a11y, lang, location)
    first_time(page)
    repeat_weekly(page, 3)
    conflict = page.locator("#series-dates li.conflict")
    assert conflict.count() == 1 and page.locator("#series-dates li.free").count() == 2
    page.locator("#series-choice").wait_for()
    check_a11y(page, "series preview with a conflict")
    alternative = conflict.locator("button.alt").first
    alternative.click()  # noted as a preference, not booked
    assert alternative.get_attribute("aria-pressed") == "true"
    page.locator("#series-prefs").wait_for()
    assert TEXT[lang]["free_only"] in page.locator("#book-button").inner_text()
    assert page.locator("#series-wont").inner_text() and page.locator("#series-will").inner_text()
    check_a11y(page, "series conflict with a preference noted")
    person = patient(lang)
    fill_details(page, person)
    _, booking_id = book_and_confirm(page, check_a11y, lang, "series")
    assert page.locator("#confirmation-details ul.not-booked li").count() == 1

    series, bookings = series_of(site, booking_id)
    assert series["accept"] == "available" and len(bookings) == 2
    assert taken not in [b["start"] for b in bookings]
    assert all(b["notes"] for b in bookings)  # the preferred alternative went to the clinic in the notes


@pytest.mark.parametrize("size, lang", PAIRS)
def test_a_therapy_visit_with_a_medication_check_the_same_day(context, site, plan_places, check_a11y, size, lang):
    location = plan_places["combined"]
    page = context.new_page()
    open_visit(page, check_a11y, lang, location)
    page.locator("#companion-fieldset").wait_for()
    assert page.locator("#companion-add-label").inner_text() == TEXT[lang]["add"]
    page.get_by_label(TEXT[lang]["add"]).check()
    assert page.locator("#companion-service").input_value() == MEDICATION
    check_a11y(page, "companion visit chosen")
    page.locator("#find-times").click()
    option = page.locator("#slots button.combo").first
    option.wait_for()
    expect(page.locator("#week-nav")).to_be_visible()  # same-day pairs a week at a time too, across the horizon
    with page.expect_response(lambda r: "/api/v1/availability/combined?" in r.url) as next_week:
        page.locator("#week-next").click()
    assert next_week.value.status == 200
    page.locator("#week-prev").click()
    option = page.locator("#slots button.combo").first
    option.wait_for()
    check_a11y(page, "combined options listed")
    option.click()
    page.locator("#details-section").wait_for()
    assert page.locator("#repeat-fieldset").is_hidden()  # a combined visit is booked once
    person = patient(lang)
    fill_details(page, person)
    check_a11y(page, "combined visit details")
    _, booking_id = book_and_confirm(page, check_a11y, lang, "visit")

    visit = api(site, f"visits/{api(site, f'bookings/{booking_id}')['visit_id']}")
    parts = visit["bookings"]
    assert len(parts) == 2 and {b["visit_id"] for b in parts} == {visit["id"]}
    assert sorted(b["service_id"] for b in parts) == sorted([THERAPY, MEDICATION])
    assert len({b["provider_id"] for b in parts}) == 2
    assert all(b["patient"]["email"] == person["email"] for b in parts)
