"""Booking for a caller in the staff app, in real Chromium on the package's stack: a weekly series found a
week at a time, previewed, booked once with the caller's consent and seen on the schedule (with the screen
in Spanish once); a Delaware caller's telehealth visit, offered only the nurse practitioner licensed there,
in Eastern time beside the clinic's; a visit moved, and another cancelled inside the cutoff (marked late),
from its details; one booking by keyboard alone, through a time taken meanwhile (409 said plainly, fresh
times). axe-core on every state: no serious or critical violation.

Each test books with its own clinician, clinic and visit type where it can, and unique patient names, so the
other screens' tests on this stack are not disturbed and do not disturb these.
"""
from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.staff.staff_support import DESK, TABLET, book, sign_in_through_provider

pytestmark = [pytest.mark.browser, pytest.mark.system, pytest.mark.integration, pytest.mark.timeout(300)]


def api(site, path: str, **params) -> dict:
    answer = requests.get(f"{site.base_url}/api/v1/{path}", params=params, headers=site.staff_headers(), timeout=15)
    assert answer.status_code == 200, answer.text
    return answer.json()


def open_booking(page, check_a11y) -> None:
    sign_in_through_provider(page, check_a11y, DESK["sub"])
    page.get_by_role("link", name="Book for a caller").click()
    page.get_by_role("heading", level=1, name="Book for a caller").wait_for()
    expect(page.locator("#book-title")).to_be_focused()


def fill_patient(page, name: str, email: str, phone: str = "5015550142") -> None:
    page.locator("#bk-name").fill(name)
    page.locator("#bk-email").fill(email)
    page.locator("#bk-phone").fill(phone)


def test_front_desk_books_a_callers_weekly_series_and_sees_its_visits_on_the_schedule(context, site, check_a11y):
    page = context.new_page()
    open_booking(page, check_a11y)
    bk = page.locator("#book")
    # Spanish once: the screen's own texts follow the language switch.
    page.get_by_role("button", name="Español").click()
    page.get_by_role("heading", level=1, name="Reservar para quien llama").wait_for()
    expect(bk.get_by_label("Dónde")).to_be_visible()
    expect(page.get_by_role("button", name="Buscar horas")).to_be_visible()
    check_a11y(page, "the booking screen in Spanish")
    page.get_by_role("button", name="English").click()
    check_a11y(page, "the booking screen")

    bk.get_by_label("A series (every week, 2 or 4 weeks)").check()
    bk.get_by_label("Visit type").select_option("therapy-psychodynamic")
    bk.get_by_label("Where").select_option("ash-flat")
    bk.get_by_label("Clinician", exact=True).select_option("daniel-whitaker")
    bk.get_by_label("Repeat").select_option("1")
    bk.get_by_label("Number of visits").fill("4")
    page.get_by_role("button", name="Find times").click()
    times = page.locator("#bk-list-days button.time")
    times.first.wait_for()
    expect(page.locator("#bk-list-prev")).to_have_attribute("aria-disabled", "true")  # the first week: today on
    for text in times.all_inner_texts():
        assert "Daniel Whitaker" in text and "for the caller" not in text, text  # an Arkansas clinic: one clock
    check_a11y(page, "a week of free times")
    first_week = page.locator("#bk-list-label").inner_text()
    page.locator("#bk-list-next").click()
    expect(page.locator("#bk-list-label")).not_to_have_text(first_week)
    page.locator("#bk-list-prev").click()
    expect(page.locator("#bk-list-label")).to_have_text(first_week)

    times.first.wait_for()
    times.first.click()
    expect(page.locator("#bk-patient-title")).to_be_focused()
    dates = page.locator("#bk-dates li")
    expect(dates).to_have_count(4)
    free = page.locator("#bk-dates li.free").count()
    assert free >= 1
    check_a11y(page, "the series' dates previewed")
    wording = api(site, "bookings/sms-consent")["texts"]["en"]
    expect(page.locator("#bk-consent-text")).to_have_text(wording)
    name, email = f"Sara Series {uuid.uuid4().hex[:6]}", f"series-{uuid.uuid4().hex[:6]}@example.com"
    fill_patient(page, name, email)
    bk.get_by_label("The caller agreed to text messages").check()
    with page.expect_request(lambda r: r.url.endswith("/staff/api/series") and r.method == "POST") as sent:
        page.locator("#bk-confirm").dblclick()  # a double click books once
    assert sent.value.headers.get("idempotency-key")
    body = sent.value.post_data_json
    assert body["every_weeks"] == 1 and body["count"] == 4 and body["patient"]["sms_consent"] is True
    page.locator("#bk-result").wait_for()
    expect(page.locator("#bk-result-title")).to_be_focused()
    expect(page.locator("#bk-booked li")).to_have_count(free)
    expect(page.locator("#bk-email-note")).to_contain_text(email)
    check_a11y(page, "the series booked")

    links = page.locator("#bk-booked a")
    booking_ids = [re.search(r"#visit=(.+)$", h)[1] for h in links.evaluate_all("(as) => as.map((a) => a.href)")]
    bookings = [api(site, f"bookings/{bid}") for bid in booking_ids]
    assert len({b["series_id"] for b in bookings}) == 1 and all(b["patient"]["name"] == name for b in bookings)
    assert bookings[0]["patient"]["sms_consent"]["wording_version"]
    first_day = min(b["start"] for b in bookings)[:10]
    until = (datetime.fromisoformat(first_day) + timedelta(days=60)).date().isoformat()
    around = api(site, "bookings", location_id="ash-flat", provider_id="daniel-whitaker",
                 **{"from": f"{first_day}T00:00:00Z", "to": f"{until}T00:00:00Z"})["bookings"]
    assert len([b for b in around if b["patient"]["name"] == name]) == free  # the double click booked once

    # The schedule: the clinic on the first visit's week, and the next week's visit after Next.
    page.get_by_role("link", name="Today and the week").click()
    page.get_by_label("Clinic", exact=True).select_option("ash-flat")
    page.get_by_role("radio", name="Week").check()
    page.locator("#f-date").fill(first_day)
    page.locator("#f-date").dispatch_event("change")
    expect(page.locator("tr", has_text=name)).to_have_count(1)
    check_a11y(page, "the series' first visit on the schedule")
    page.get_by_role("button", name="Next").click()
    second = sorted(b["start"] for b in bookings)[1][:10] if free > 1 else None
    if second and (datetime.fromisoformat(second) - datetime.fromisoformat(first_day)).days < 14:
        expect(page.locator("tr", has_text=name)).to_have_count(1)


def test_a_delaware_callers_telehealth_visit_offers_only_the_nurse_practitioner_licensed_there(context, site,
                                                                                             check_a11y):
    providers = api(site, "providers")["providers"]
    licensed = [p for p in providers if "DE" in p["licensed_states"] and "med-follow-up" in p["service_ids"]]
    assert len(licensed) == 1
    nurse = licensed[0]
    page = context.new_page()
    page.set_viewport_size(TABLET)
    open_booking(page, check_a11y)
    bk = page.locator("#book")
    bk.get_by_label("Visit type").select_option("med-follow-up")
    bk.get_by_label("Where").select_option("telehealth")
    page.get_by_role("button", name="Find times").click()
    expect(page.locator("#status")).to_have_text("Choose the state the caller will be in during the visit.")
    expect(bk.get_by_label("Caller’s state during the visit")).to_be_focused()
    bk.get_by_label("Caller’s state during the visit").select_option("TX")  # two zones: the desk asks which
    expect(bk.get_by_label("Caller’s time zone")).to_be_visible()
    check_a11y(page, "a caller in a state with two zones")
    bk.get_by_label("Caller’s state during the visit").select_option("DE")
    expect(bk.get_by_label("Caller’s time zone")).to_be_hidden()
    offered = bk.get_by_label("Clinician", exact=True).locator("option").all_inner_texts()
    assert offered == ["Any clinician", nurse["name"]], offered
    with page.expect_response(lambda r: "/staff/api/availability?" in r.url) as asked:
        page.get_by_role("button", name="Find times").click()
    assert "patient_state=DE" in asked.value.url
    times = page.locator("#bk-list-days button.time")
    times.first.wait_for()
    assert {s["provider_id"] for s in asked.value.json()["slots"]} <= {nurse["id"]}
    for text in times.all_inner_texts():
        assert nurse["name"] in text, text
        assert re.search(r"\d:\d\d [AP]M CST\s+\(\d{1,2}:\d\d [AP]M EST for the caller\)", text), text
    expect(page.locator("#bk-list-zones")).to_contain_text("Eastern")
    check_a11y(page, "telehealth times in two zones at 1024x768")
    times.first.click()
    expect(page.locator("#bk-summary")).to_contain_text("EST for the caller")
    assert bk.get_by_label("Patient’s state").input_value() == "DE"
    name = f"Dee Laware {uuid.uuid4().hex[:6]}"
    fill_patient(page, name, f"de-{uuid.uuid4().hex[:6]}@example.com", "3025550188")
    page.get_by_role("button", name="Confirm the booking").click()
    page.locator("#bk-result").wait_for()
    expect(page.locator("#bk-booked")).to_contain_text("EST for the caller")
    expect(page.locator("#bk-booked")).to_contain_text(nurse["name"])
    check_a11y(page, "a telehealth booking confirmed")
    booking_id = re.search(r"#visit=(.+)$", page.locator("#bk-booked a").first.get_attribute("href"))[1]
    booking = api(site, f"bookings/{booking_id}")
    assert booking["provider_id"] == nurse["id"] and booking["modality"] == "telehealth"
    assert booking["patient"]["state"] == "DE" and booking["patient"]["sms_consent"] is None
