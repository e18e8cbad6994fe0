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
    page.get_by_role("button", name="Español").click()  # what the screen made from data is worded again
    expect(page.locator("#bk-list-label")).to_contain_text("Del ")
    expect(page.locator("#bk-list-zones")).to_contain_text("Las horas son las de la clínica")
    expect(bk.get_by_label("Tipo de cita").locator("option:checked")).to_have_text("Terapia individual: psicodinámica")
    check_a11y(page, "free times in Spanish")
    page.get_by_role("button", name="English").click()
    expect(page.locator("#bk-list-label")).not_to_contain_text("Del ")
    first_week = page.locator("#bk-list-label").inner_text()
    page.locator("#bk-list-next").click()
    expect(page.locator("#bk-list-label")).not_to_have_text(first_week)
    page.locator("#bk-list-prev").click()
    expect(page.locator("#bk-list-label")).to_have_text(first_week)

    times.first.wait_for()
    with page.expect_response(lambda r: r.url.endswith("/staff/api/series/preview")) as previewed:
        times.first.click()
    expect(page.locator("#bk-patient-title")).to_be_focused()
    expect(page.locator("#bk-dates li")).to_have_count(4)
    check_a11y(page, "the series' dates previewed")
    wording = api(site, "bookings/sms-consent")["texts"]["en"]
    expect(page.locator("#bk-consent-text")).to_have_text(wording)
    name, email = f"Sara Series {uuid.uuid4().hex[:6]}", f"series-{uuid.uuid4().hex[:6]}@example.com"
    fill_patient(page, name, email)
    bk.get_by_label("Notes for the clinician (optional)").fill("Prefers the side entrance")
    bk.get_by_label("The caller agreed to text messages").check()
    # Another desk takes a later date meanwhile: "book all" is refused (409), said plainly, the dates asked again.
    later = next(o for o in previewed.value.json()["occurrences"][1:] if o["status"] == "free")
    book(site, {"provider_id": "daniel-whitaker", "location_id": "ash-flat", "start": later["start"]},
         "therapy-psychodynamic", f"Quick Other {uuid.uuid4().hex[:6]}")
    page.locator("#bk-confirm").click()
    expect(page.locator("#status")).to_have_text("A date of the series was just taken. The dates are checked again below.")
    expect(page.locator("#bk-dates li.conflict", has_text="already booked")).to_have_count(1)
    expect(page.locator("#bk-plan-note")).to_be_focused()
    free = page.locator("#bk-dates li.free").count()
    expect(page.locator("#bk-confirm")).to_have_text(f"Confirm the {free} free dates only")
    check_a11y(page, "a date of the series taken meanwhile")
    with page.expect_request(lambda r: r.url.endswith("/staff/api/series") and r.method == "POST") as sent:
        page.locator("#bk-confirm").dblclick()  # a double click books once
    assert sent.value.headers.get("idempotency-key")
    body = sent.value.post_data_json
    assert body["every_weeks"] == 1 and body["count"] == 4 and body["accept"] == "available"
    assert body["patient"]["sms_consent"] is True and body["patient"]["phone"] == "+15015550142"
    assert body["notes"] == "Prefers the side entrance"
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

    # The next caller: therapy and a medication check on one trip to the clinic, booked together.
    page.get_by_role("button", name="Book for another caller").click()
    expect(page.locator("#book-title")).to_be_focused()
    bk.get_by_label("Therapy and a medication check the same day").check()
    bk.get_by_label("Visit type").select_option("therapy-cbt")
    bk.get_by_label("With").select_option("med-follow-up")
    bk.get_by_label("Where").select_option("jonesboro")
    expect(bk.get_by_label("Clinician", exact=True)).to_be_hidden()  # two clinicians: the pairs name them
    bk.get_by_role("button", name="Find times").click()
    pairs = page.locator("#bk-list-days button.time")
    pairs.first.wait_for()
    pair = pairs.first.text_content()
    assert " + " in pair and "Individual therapy: CBT" in pair and "Medication management: follow-up" in pair, pair
    check_a11y(page, "same-day pairs")
    pairs.first.click()
    name = f"Pat Pair {uuid.uuid4().hex[:6]}"
    fill_patient(page, name, f"pair-{uuid.uuid4().hex[:6]}@example.com")
    with page.expect_request(lambda r: r.url.endswith("/staff/api/visits") and r.method == "POST") as sent:
        page.get_by_role("button", name="Confirm the booking").click()
    assert {part["service_id"] for part in sent.value.post_data_json["parts"]} == {"therapy-cbt", "med-follow-up"}
    page.locator("#bk-result").wait_for()
    expect(page.locator("#bk-booked li")).to_have_count(2)
    check_a11y(page, "a combined visit booked")


def free_slots(site, service_id: str, location_id: str, provider_id: str, days_ahead: int) -> list[dict]:
    first = datetime.now(timezone.utc).date() + timedelta(days=days_ahead)
    return api(site, "availability", service_id=service_id, location_id=location_id, provider_id=provider_id,
               **{"from": first.isoformat(), "to": (first + timedelta(days=20)).isoformat()})["slots"]


def move_into_cutoff(site, booking: dict, hours: float) -> None:
    """The visit starts `hours` from now (inside the change cutoff), keeping its length: as move_to_today does."""
    coll = site.mongo[site.bookings_db]["bookings"]
    doc = coll.find_one({"_id": booking["id"]})
    start = datetime.now(timezone.utc).replace(second=0, microsecond=0) + timedelta(hours=hours)
    length, blocked = doc["end"] - doc["start"], doc["blocked_until"] - doc["start"]
    coll.update_one({"_id": booking["id"]}, {"$set": {"start": start, "end": start + length,
                                                      "blocked_until": start + blocked}})


def open_visit(page, booking_id: str, name: str) -> None:
    page.evaluate("(id) => { location.hash = `visit=${id}`; }", booking_id)
    page.get_by_role("heading", level=1, name=f"Visit: {name}").wait_for()


def test_a_visit_is_moved_and_another_cancelled_late_from_its_details(context, site, check_a11y):
    slots = free_slots(site, "therapy-dbt", "paragould", "lucia-ramirez", 12)
    assert len(slots) >= 3
    tag = uuid.uuid4().hex[:6]
    moving, late = book(site, slots[0], "therapy-dbt", f"Mo Ving {tag}"), book(site, slots[-1], "therapy-dbt", f"La Te {tag}")
    move_into_cutoff(site, late, 3)
    page = context.new_page()
    sign_in_through_provider(page, check_a11y, DESK["sub"])

    open_visit(page, moving["id"], f"Mo Ving {tag}")
    page.get_by_role("button", name="Move to another time").click()
    expect(page.locator("#vc-title")).to_be_focused()
    expect(page.locator("#vc-late")).to_have_count(0)  # twelve days ahead: not a late change
    times = page.locator("#vc-list-days button.time")
    times.first.wait_for()
    assert all("Lucía Ramírez" in text for text in times.all_inner_texts())
    check_a11y(page, "moving a visit: the clinician's free times")
    target = times.nth(1)
    target.click()
    confirm = page.locator("#vc-move-confirm")
    expect(confirm).to_be_focused()
    with page.expect_response(lambda r: r.url.endswith(f"/bookings/{moving['id']}/reschedule")) as answered:
        confirm.click()
    assert answered.value.status == 200
    moved = answered.value.json()
    expect(page.locator("#status")).to_contain_text("The visit is moved to")
    expect(page.locator("#status")).not_to_contain_text("late")
    assert moved["start"] != moving["start"] and not moved.get("late")
    expect(page.locator("#visit-body")).not_to_contain_text("Changed late")
    check_a11y(page, "a visit moved")

    open_visit(page, late["id"], f"La Te {tag}")
    page.get_by_role("button", name="Cancel the visit", exact=True).click()
    expect(page.locator("#vc-late")).to_contain_text("within 24 hours")
    page.get_by_label("Reason").fill("Caller is unwell")
    check_a11y(page, "cancelling a visit inside the cutoff")
    page.get_by_role("button", name="Cancel the visit now").click()
    expect(page.locator("#status")).to_contain_text("Recorded as a late change.")
    expect(page.locator("#visit-body .badge")).to_have_text("Cancelled")
    expect(page.locator("#visit-body")).to_contain_text("Changed late")
    expect(page.get_by_role("button", name="Move to another time")).to_have_count(0)  # nothing more to change
    check_a11y(page, "a late cancellation shown")
    stored = api(site, f"bookings/{late['id']}")
    assert stored["status"] == "cancelled" and stored["late"] is True and stored["cancel_reason"] == "Caller is unwell"


def focus_on(page, selector: str, limit: int = 120) -> None:
    """Tab (only the keyboard) until the element matching `selector` has focus."""
    for _ in range(limit):
        if page.evaluate("(s) => Boolean(document.activeElement && document.activeElement.matches(s))", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def choose(page, selector: str, value: str) -> None:
    """A select chosen with the arrow keys (focus on it first)."""
    focus_on(page, selector)
    for _ in range(40):
        if page.locator(selector).input_value() == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{value} is not among {selector}'s options")


def test_one_booking_with_the_keyboard_alone_through_a_time_taken_meanwhile(context, site, check_a11y):
    page = context.new_page()
    sign_in_through_provider(page, check_a11y, DESK["sub"])
    listed: list[dict] = []
    page.on("response", lambda r: listed.append(r.json()) if "/staff/api/availability?" in r.url and r.ok else None)
    focus_on(page, "a[href='#book']")
    page.keyboard.press("Enter")
    expect(page.locator("#book-title")).to_be_focused()
    choose(page, "#bk-service", "therapy-psychodynamic")
    choose(page, "#bk-location", "jonesboro")
    choose(page, "#bk-provider", "miguel-santos")
    focus_on(page, "#bk-find")
    page.keyboard.press("Enter")
    expect(page.locator("#bk-times-title")).to_be_focused()
    page.locator("#bk-list-days button.time").first.wait_for()
    focus_on(page, "#bk-list-days button.time")
    page.keyboard.press("Enter")
    expect(page.locator("#bk-patient-title")).to_be_focused()
    taken = next(answer["slots"][0] for answer in reversed(listed) if answer.get("slots"))
    book(site, taken, "therapy-psychodynamic", f"Someone Faster {uuid.uuid4().hex[:6]}")  # another desk, meanwhile
    name = f"Kay Board {uuid.uuid4().hex[:6]}"
    for selector, text in (("#bk-name", name), ("#bk-email", f"kay-{uuid.uuid4().hex[:6]}@example.com"),
                           ("#bk-phone", "(870) 555-0199")):
        focus_on(page, selector)
        page.keyboard.type(text)
    focus_on(page, "#bk-confirm")
    page.keyboard.press("Enter")
    expect(page.locator("#status")).to_have_text(
        "That time was just taken by someone else. These are the free times now.")
    expect(page.locator("#bk-list-note")).to_be_focused()
    expect(page.locator("#bk-patient")).to_be_hidden()
    check_a11y(page, "a time taken meanwhile, said plainly")
    page.locator("#bk-list-days button.time").first.wait_for()
    focus_on(page, "#bk-list-days button.time")
    page.keyboard.press("Enter")
    expect(page.locator("#bk-patient-title")).to_be_focused()
    assert page.locator("#bk-name").input_value() == name  # what the caller said is kept
    focus_on(page, "#bk-confirm")
    page.keyboard.press("Enter")
    expect(page.locator("#bk-result-title")).to_be_focused()
    check_a11y(page, "booked by keyboard")
    booking_id = re.search(r"#visit=(.+)$", page.locator("#bk-booked a").first.get_attribute("href"))[1]
    booking = api(site, f"bookings/{booking_id}")
    assert booking["patient"]["name"] == name and booking["start"] != taken["start"]
    assert booking["patient"]["phone"] == "+18705550199"
