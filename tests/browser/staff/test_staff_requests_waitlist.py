"""The staff app's appointment-request queue and waitlist in real Chromium, on the package's one stack: a request
made through the public API is in the open queue with what the patient asked for (contact details only in its
details); booking it from a free time marks it booked and puts the visit on the schedule; another is closed
with a reason by keyboard alone and leaves the open queue. A waitlist entry joined through the public API is
listed; a cancellation of a matching visit gives it an offer, shown on the clinic's clock without a reload (in
Spanish too); removing it, after a confirmation, withdraws it and keeps the offer among its past ones. axe-core
on every state.

Ash Flat's psychodynamic therapy (Daniel Whitaker, Mondays and Wednesdays) is used, weeks ahead, so the other
screens' tests (the schedule's visits at the first clinic with times) do not meet these.
"""
from __future__ import annotations

import re
import time
import uuid
from datetime import date, datetime, timedelta

import pytest
import requests

from tests.browser.staff.staff_support import DESK, TABLET, sign_in_through_provider
from tests.browser.staff.test_staff_app import tab_to
from tests.system.test_stack import listed

pytestmark = [pytest.mark.browser, pytest.mark.system, pytest.mark.integration, pytest.mark.timeout(300)]
SERVICE, CLINIC, CLINIC_NAME = "therapy-psychodynamic", "ash-flat", "Ash Flat Clinic"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def patient(name: str) -> dict:
    return {"name": name, "email": f"{uuid.uuid4().hex[:8]}@example.com", "phone": "+15555550142",
            "language": "en", "state": "AR"}


def ask(site, name: str, **extra) -> dict:
    body = {"patient": patient(name), "service_id": SERVICE, "modality": "in_person", "location_ids": [CLINIC],
            "preferred_days": ["mon", "wed"], "preferred_times": ["morning"], "notes": "Prefers a quiet room.", **extra}
    answer = requests.post(f"{site.base_url}/api/v1/appointment-requests", json=body, timeout=15)
    assert answer.status_code == 201, answer.text
    return answer.json()


def staff_get(site, path: str) -> dict:
    answer = requests.get(f"{site.base_url}/api/v1/{path}", headers=site.staff_headers(), timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def open_screen(page, name: str, filters: str) -> None:
    """The screen from the navigation, on Ash Flat (its clinic filter is `#<filters>-location`)."""
    page.get_by_role("navigation", name="Screens").get_by_role("link", name=name).click()
    page.get_by_role("heading", level=1).filter(has_text=name).wait_for()
    page.locator(f"#{filters}-location").select_option(CLINIC)


def test_a_request_from_the_public_api_is_booked_from_the_queue(context, site, check_a11y):
    tag = uuid.uuid4().hex[:4]
    asked = ask(site, f"Rita Request {tag}")
    page = context.new_page()
    sign_in_through_provider(page, check_a11y, DESK["sub"])
    open_screen(page, "Requests", "rq")
    row = page.locator("tr", has_text=asked["patient"]["name"])
    row.wait_for()
    assert row.locator(".badge").inner_text() == "Open"
    for shown in ("Individual therapy: psychodynamic", "In person", CLINIC_NAME, "Mon, Wed · Morning", "English",
                  "AR", "Prefers a quiet room."):
        assert shown in row.inner_text(), shown
    assert asked["patient"]["email"] not in page.locator("main").inner_text()  # contact details: in the details only
    check_a11y(page, "the open queue")

    row.get_by_role("link", name=f"Open the request of {asked['patient']['name']}").click()
    page.get_by_role("heading", level=1, name=f"Appointment request: {asked['patient']['name']}").wait_for()
    assert page.evaluate("document.activeElement.id") == "request-title"
    page.get_by_text(asked["patient"]["email"], exact=False).wait_for()
    week = date.today() + timedelta(days=15)
    page.get_by_label("Week from").fill(week.isoformat())
    page.get_by_role("button", name="Find times").click()
    first = page.locator("#rq-slots button").first
    first.wait_for()
    start = first.get_attribute("data-start")
    assert start and datetime.fromisoformat(start).hour < 12 and DAYS[datetime.fromisoformat(start).weekday()] in (
        "mon", "wed")  # only what the patient asked for, on the clinic's clock
    check_a11y(page, "free times for the request")
    first.click()
    page.get_by_role("button", name="Confirm booking").wait_for()
    assert "Daniel Whitaker" in page.locator("#rq-confirm").inner_text()
    check_a11y(page, "confirming the booking")
    page.get_by_role("button", name="Confirm booking").click()
    page.locator("#status", has_text=f"Booked: {asked['patient']['name']}").wait_for()
    page.locator("#request-body .badge", has_text="Booked").wait_for()
    check_a11y(page, "the request booked")

    stored = staff_get(site, f"appointment-requests/{asked['id']}")
    assert stored["status"] == "booked" and stored["booking_id"]
    booking = staff_get(site, f"bookings/{stored['booking_id']}")
    assert booking["start"] == start and booking["patient"]["name"] == asked["patient"]["name"]
    # The visit is on the schedule of its clinic and day; at a tablet's size.
    page.set_viewport_size(TABLET)
    page.get_by_role("navigation", name="Screens").get_by_role("link", name="Today and the week").click()
    page.locator("#schedule-title").wait_for()
    page.locator("#f-location").select_option(CLINIC)
    page.locator("#f-date").fill(start[:10])
    page.locator("#days tr", has_text=asked["patient"]["name"]).wait_for()
    # And no longer in the open queue.
    open_screen(page, "Requests", "rq")
    page.locator("#rq-list tr", has_text=asked["patient"]["name"]).wait_for(state="detached")


def test_closing_a_request_with_a_reason_by_keyboard_alone(context, site, check_a11y):
    tag = uuid.uuid4().hex[:4]
    asked = ask(site, f"Carl Close {tag}")
    page = context.new_page()
    page.goto("/staff")
    page.locator("#signin-title").wait_for()
    tab_to(page, "#signin-oidc")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/oauth2/authorize"))
    tab_to(page, f"button[value='{DESK['sub']}']")
    page.keyboard.press("Enter")
    page.locator("#schedule-title").wait_for()
    tab_to(page, "#screens a[href='#requests']")
    page.keyboard.press("Enter")
    page.locator("#requests-title:focus").wait_for()
    tab_to(page, f"a[data-key='request:{asked['id']}']")
    page.keyboard.press("Enter")
    page.locator("#request-title:focus").wait_for()
    tab_to(page, "#rq-close button[type='submit']")
    page.keyboard.press("Enter")  # no reason yet: said, and the field gets the focus
    page.locator("#status", has_text="Give a reason for closing the request.").wait_for()
    page.locator("#rq-reason:focus").wait_for()
    check_a11y(page, "closing without a reason")
    page.keyboard.type("Reached by phone; booked at another practice.")
    tab_to(page, "#rq-close button[type='submit']")
    page.keyboard.press("Enter")
    page.locator("#status", has_text=f"The request of {asked['patient']['name']} is closed.").wait_for()
    page.locator("#request-body .badge", has_text="Closed").wait_for()
    assert "Reached by phone; booked at another practice." in page.locator("#request-body").inner_text()
    check_a11y(page, "the request closed")
    stored = staff_get(site, f"appointment-requests/{asked['id']}")
    assert stored["status"] == "closed" and stored["close_reason"] == "Reached by phone; booked at another practice."
    tab_to(page, "#rq-back", back=True)
    page.keyboard.press("Enter")
    page.locator("#requests-title:focus").wait_for()
    page.locator("#rq-list tr", has_text=asked["patient"]["name"]).wait_for(state="detached")  # not in the open queue
    page.locator("#rq-status").select_option("closed")
    page.locator("tr", has_text=asked["patient"]["name"]).locator(".badge", has_text="Closed").wait_for()


def a_slot(site, days_ahead: int) -> dict:
    first = date.today() + timedelta(days=days_ahead)
    slots = listed(site, "availability", "slots", service_id=SERVICE, location_id=CLINIC, **{
        "from": first.isoformat(), "to": (first + timedelta(days=7)).isoformat()})
    assert slots, "Ash Flat has no psychodynamic therapy free that week"
    return slots[-1]


def test_a_waitlist_entry_gets_an_offer_and_is_removed(context, site, check_a11y):
    tag = uuid.uuid4().hex[:4]
    slot = a_slot(site, 22)
    body = {"service_id": SERVICE, "provider_id": slot["provider_id"], "location_id": CLINIC, "start": slot["start"],
            "patient": patient(f"Bo Booked {tag}")}
    booked = requests.post(f"{site.base_url}/api/v1/bookings", json=body, timeout=15)
    assert booked.status_code == 201, booked.text
    start, end = datetime.fromisoformat(slot["start"]), datetime.fromisoformat(slot["end"])
    name = f"Wendy Wait {tag}"
    joined = requests.post(f"{site.base_url}/api/v1/waitlist", timeout=15, json={
        "patient": patient(name), "service_id": SERVICE, "modality": "in_person", "location_ids": [CLINIC],
        "provider_id": slot["provider_id"], "until": (start.date() + timedelta(days=1)).isoformat(),
        "windows": [{"days": [DAYS[start.weekday()]], "from": start.strftime("%H:%M"), "to": end.strftime("%H:%M")}]})
    assert joined.status_code == 201, joined.text

    page = context.new_page()
    page.clock.install()  # the page's 20-second polls run when the test says
    sign_in_through_provider(page, check_a11y, DESK["sub"])
    open_screen(page, "Waitlist", "wl")
    row = page.locator("tr", has_text=name)
    row.locator(".badge", has_text="Waiting").wait_for()
    assert "Daniel Whitaker" in row.inner_text() and start.strftime("%H:%M") in row.inner_text()
    check_a11y(page, "the waitlist")

    cancelled = requests.post(f"{site.base_url}/api/v1/bookings/{booked.json()['id']}/cancel", json={}, timeout=15,
                              headers={"X-Manage-Token": booked.json()["manage_token"]})
    assert cancelled.status_code == 200, cancelled.text
    deadline = time.monotonic() + 30
    while staff_get(site, f"waitlist/{joined.json()['id']}")["status"] != "offered":
        assert time.monotonic() < deadline, "the freed time was not offered"
        time.sleep(0.3)
    page.clock.run_for(21_000)
    row.locator(".badge", has_text="Offered").wait_for()
    offer = row.locator(".wl-offer").inner_text()
    assert "CST" in offer or "CDT" in offer, offer  # on the clinic's clock, saying which
    assert "held until" in offer
    check_a11y(page, "an entry with its offer")
    page.get_by_role("button", name="Español").click()
    page.get_by_role("heading", level=1, name="Lista de espera").wait_for()
    row.locator(".badge", has_text="Con oferta").wait_for()
    assert "reservada hasta las" in row.inner_text()
    check_a11y(page, "the waitlist in Spanish")
    page.get_by_role("button", name="English").click()

    row.get_by_role("button", name=f"Remove {name} from the waitlist").click()
    dialog = page.get_by_role("dialog", name=f"Remove {name} from the waitlist?")
    dialog.wait_for()
    check_a11y(page, "confirming the removal")
    dialog.get_by_role("button", name="Keep on the waitlist").click()
    assert staff_get(site, f"waitlist/{joined.json()['id']}")["status"] == "offered"  # kept: nothing changed
    row.get_by_role("button", name=f"Remove {name} from the waitlist").click()
    dialog.get_by_role("button", name="Remove", exact=True).click()
    page.locator("#status", has_text=f"{name} is off the waitlist.").wait_for()
    page.locator("tr", has_text=name).wait_for(state="detached")  # the live list shows waiting and offered only
    entry = staff_get(site, f"waitlist/{joined.json()['id']}")
    assert entry["status"] == "withdrawn" and [p["outcome"] for p in entry["past_offers"]] == ["withdrawn"]
    page.locator("#wl-status").select_option("withdrawn")
    ended = page.locator("tr", has_text=name)
    ended.locator(".badge", has_text="Withdrawn").wait_for()
    assert "withdrawn with the entry" in ended.locator(".wl-past").inner_text()
    check_a11y(page, "a removed entry and its past offer")
