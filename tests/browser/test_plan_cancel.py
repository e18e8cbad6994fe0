"""Cancelling a whole care plan from the booking page's manage view, in Chromium through the gateway of a
real stack: a weekly series of 3 booked through the API, cancelled "this and all later" from its second
visit (the first stays booked), and a combined visit booked through the API, both its appointments
cancelled at once. Each is confirmed in the page first, announced in the live region, and read back
through the API; axe-core checks each new state (no serious or critical violation). One scenario in
English at a phone's size, the other in Spanish at a desktop's.
"""
from __future__ import annotations

import uuid

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.test_booking_page import api, context, patient  # noqa: F401
from tests.browser.test_care_plans import MEDICATION, THERAPY, page_window

pytestmark = [pytest.mark.browser, pytest.mark.system, pytest.mark.integration, pytest.mark.timeout(300)]

TEXT = {
    "en": {"later": "Cancel this visit and every later one (2 visits)?", "later_done": "on are cancelled.", "visit": "Cancel both appointments",
           "visit_done": "Both appointments are cancelled.", "cancelled": "Cancelled"},
    "es": {"later": "¿Cancelar esta consulta y todas las siguientes (2 consultas)?", "later_done": "fueron canceladas.", "visit": "¿Cancelar las dos citas",
           "visit_done": "Las dos citas fueron canceladas.", "cancelled": "Cancelada"},
}


def someone() -> dict:
    person = patient("en")
    return {"name": person["name"], "email": person["email"], "phone": "+15555550123", "language": "en", "state": "AR"}


def post(site, path: str, body: dict) -> requests.Response:
    return requests.post(f"{site.base_url}/api/v1/{path}", json=body, timeout=20,
                         headers={"Idempotency-Key": str(uuid.uuid4())})


def clinics(site) -> list[dict]:
    return [loc for loc in api(site, "locations")["locations"] if "in_person" in loc.get("modalities", [])]


@pytest.fixture(scope="module")
def weekly_series(site) -> dict:
    """A weekly series of 3 therapy visits, booked through the API at the first time every week is free."""
    for location in clinics(site):
        slots = api(site, "availability", service_id=THERAPY, location_id=location["id"],
                    **page_window(location["timezone"]))["slots"]
        for slot in slots[:20]:
            made = post(site, "series", {"service_id": THERAPY, "provider_id": slot["provider_id"],
                                         "location_id": location["id"], "start": slot["start"], "every_weeks": 1,
                                         "count": 3, "accept": "all", "patient": someone()})
            if made.status_code == 201:
                return made.json()
    pytest.fail("no weekly time is free three weeks running")


@pytest.fixture(scope="module")
def combined_visit(site) -> dict:
    for location in clinics(site):
        options = api(site, "availability/combined", service_ids=f"{THERAPY},{MEDICATION}", location_id=location["id"],
                      **page_window(location["timezone"]))["options"]
        for option in options[:5]:
            parts = [{k: part[k] for k in ("service_id", "provider_id", "start")} for part in option["parts"]]
            made = post(site, "visits", {"patient": someone(), "parts": parts, "location_id": location["id"]})
            if made.status_code == 201:
                return made.json()
    pytest.fail("no combined visit could be booked")


def status_of(site, booking_id: str) -> str:
    return api(site, f"bookings/{booking_id}")["status"]


@pytest.mark.parametrize("size, lang", [pytest.param("phone", "en", id="phone-en")])
def test_a_series_is_cancelled_from_its_second_visit_on(context, site, weekly_series, check_a11y, size, lang):
    ids = [b["id"] for b in sorted(weekly_series["bookings"], key=lambda b: b["start"])]
    assert len(ids) == 3
    page = context.new_page()
    page.goto(f"/book#manage={ids[0]}.{weekly_series['manage_token']}")  # the link the patient was given
    items = page.locator("#manage-plan-list li")
    items.nth(2).wait_for()
    assert page.locator("#plan-cancel-all").is_visible() and page.locator("#plan-cancel-later").is_hidden()
    items.nth(1).locator("a").click()  # manage the second visit: the same token, in the fragment
    expect(items.nth(1)).to_have_attribute("aria-current", "true")
    page.locator("#plan-cancel-later").wait_for()
    page.locator("#plan-cancel-later").click()
    expect(page.locator("#plan-confirm-title")).to_be_focused()
    assert page.locator("#plan-confirm-title").inner_text() == TEXT[lang]["later"]
    assert page.locator("#plan-confirm-list li").count() == 2
    check_a11y(page, "confirm cancelling a series from this visit on")
    page.locator("#plan-confirm-yes").click()
    expect(page.locator("#status")).to_contain_text(TEXT[lang]["later_done"])
    expect(page.locator("#plan-confirm")).to_be_hidden()
    expect(items.nth(2)).to_contain_text(TEXT[lang]["cancelled"])  # the list, refreshed
    assert TEXT[lang]["cancelled"] not in items.nth(0).inner_text()
    check_a11y(page, "series cancelled from this visit on")

    assert [status_of(site, b) for b in ids] == ["confirmed", "cancelled", "cancelled"]
    assert page.locator("#plan-actions").is_hidden()  # one visit left: its own link cancels it


@pytest.mark.parametrize("size, lang", [pytest.param("desktop", "es", id="desktop-es")])
def test_both_appointments_of_a_combined_visit_are_cancelled_at_once(context, site, combined_visit, check_a11y,
                                                                     size, lang):
    ids = [b["id"] for b in combined_visit["bookings"]]
    page = context.new_page()
    page.goto(f"/book#manage={ids[0]}.{combined_visit['manage_token']}")
    page.locator("#manage-plan-list li").nth(1).wait_for()
    page.locator("#plan-cancel-visit").click()
    expect(page.locator("#plan-confirm-title")).to_contain_text(TEXT[lang]["visit"])
    assert page.locator("#plan-confirm-list li").count() == 2
    page.locator("#plan-confirm-no").click()  # keep them: nothing is sent
    expect(page.locator("#plan-cancel-visit")).to_be_focused()
    assert "cancelled" not in [status_of(site, b) for b in ids]
    page.locator("#plan-cancel-visit").click()
    check_a11y(page, "confirm cancelling a combined visit")
    page.locator("#plan-confirm-yes").click()
    expect(page.locator("#status")).to_have_text(TEXT[lang]["visit_done"])
    expect(page.locator("#manage-plan-list li").nth(1)).to_contain_text(TEXT[lang]["cancelled"])
    assert page.locator("#manage-actions").is_hidden() and page.locator("#plan-actions").is_hidden()
    check_a11y(page, "combined visit cancelled")

    assert [status_of(site, b) for b in ids] == ["cancelled", "cancelled"]
    assert api(site, f"visits/{combined_visit['id']}")["status"] == "cancelled"
