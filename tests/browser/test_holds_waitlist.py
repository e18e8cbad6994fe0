"""Holds, the change policy and the waitlist on the booking page, in Chromium through the gateway of a real
stack (docs/booking-page-holds-waitlist.md): a picked time is held (gone from availability for everyone
else), let go when another is picked, and booked with its hold; the policy is shown before booking; a late
cancel through the manage link is explained with the clinic's phone; a patient for whom no time fits joins
the waitlist; an offer link opens "A time opened up for you" and books in one step. axe-core on every new
state (no serious or critical violation), English and Spanish, phone and desktop sizes.

This module's stack runs with CANCEL_CUTOFF_HOURS=720 (set before it starts): every visit the page can
book is then "late", so a late change needs no visit inside the next 24 hours (MIN_NOTICE_HOURS [24]
forbids booking one, for staff too).
"""
from __future__ import annotations

import os
import re
import time
import uuid
from datetime import date, timedelta

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.test_booking_page import api, choices, context, patient  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.system, pytest.mark.integration, pytest.mark.timeout(300)]

OVERRIDES = {"CANCEL_CUTOFF_HOURS": "720"}  # 30 days: every bookable visit is inside the cutoff
TEXT = {
    "en": {"held": "Held for you until", "policy": "up to 30 days before the visit", "late": "Please call the clinic at",
           "joined": "You're on the waitlist", "waiting": "Waiting for a time", "offer": "A time opened up for you",
           "booked": "You're booked", "no_slots": "No clinician licensed in", "too_many": "already holding other times",
           "ending": "minutes left", "expired": "has run out"},
    "es": {"held": "Apartado para usted hasta", "policy": "hasta 30 días antes de la consulta",
           "late": "Llame a la clínica al", "joined": "Está en la lista de espera", "waiting": "Esperando un horario",
           "offer": "Se liberó un horario para usted", "booked": "Su cita está reservada",
           "no_slots": "Ningún profesional con licencia en", "too_many": "ya tiene otros horarios apartados",
           "ending": "Quedan unos", "expired": "Se acabó el tiempo"},
}
WAITLIST_LINK = re.compile(r"^http://127\.0\.0\.1:\d+/book#waitlist=([0-9A-Za-z]+)\.([0-9A-Za-z_-]+)$")


@pytest.fixture(scope="module", autouse=True)
def late_policy_env():
    """Autouse and module-scoped: set before this module's stack (module-scoped too) starts, which
    inherits the environment; put back after."""
    before = {name: os.environ.get(name) for name in OVERRIDES}
    os.environ.update(OVERRIDES)
    yield
    for name, value in before.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture
def expected_errors():
    """The late-change test provokes the 409 of its refused cancel, the too-many-holds test the 429 of its
    refused hold: the page logs each, and that is not a fault."""
    return {"late": "status of 409", "too_many": "status of 429"}


def shown_phone(location: dict) -> str:
    """The clinic's phone as the page shows it: the catalog's phone_display, else a US number nationally."""
    phone = location["phone"]
    national = f"({phone[2:5]}) {phone[5:8]}-{phone[8:]}" if re.fullmatch(r"\+1\d{10}", phone) else phone
    return location.get("phone_display") or national


def window(location: dict) -> dict:
    first = date.today()
    return {"from": first.isoformat(), "to": (first + timedelta(days=13)).isoformat()}


def public_slots(site, service: dict, location: dict, **params) -> list[dict]:
    """Availability as another client sees it (no token)."""
    response = requests.get(f"{site.base_url}/api/v1/availability", timeout=10,
                            params={"service_id": service["id"], "location_id": location["id"], **window(location),
                                    **params})
    assert response.status_code == 200, response.text
    return response.json()["slots"]


def someone(lang: str = "en", state: str = "AR") -> dict:
    person = patient(lang)
    return {"name": person["name"], "email": person["email"], "phone": person["e164"], "language": lang, "state": state}


def book_through_api(site, service: dict, location: dict, slot: dict) -> dict:
    made = requests.post(f"{site.base_url}/api/v1/bookings", timeout=20, headers={"Idempotency-Key": str(uuid.uuid4())},
                         json={"service_id": service["id"], "provider_id": slot["provider_id"],
                               "location_id": location["id"], "start": slot["start"],
                               "patient": someone(state=location["address"]["state"])})
    assert made.status_code == 201, made.text
    return made.json()


def same(a: dict, b: dict) -> bool:
    return a["provider_id"] == b["provider_id"] and a["start"][:16] == b["start"][:16]


def open_times(page, service: dict, location: dict) -> None:
    page.goto("/book")
    page.locator(f"#service-options input[value='{service['id']}']").check()
    page.locator(f"#location-options input[value='{location['id']}']").check()
    page.locator("#find-times").click()


@pytest.mark.parametrize("size, lang", [pytest.param("phone", "en", id="phone-en")])
def test_a_picked_time_is_held_let_go_for_another_and_booked_with_its_hold(context, site, choices, check_a11y,
                                                                         size, lang):
    service, location = choices["in_person"]
    page = context.new_page()
    open_times(page, service, location)
    slots = page.locator("#slots button.slot")
    slots.nth(1).wait_for()
    with page.expect_response(lambda r: r.url.endswith("/api/v1/holds") and r.request.method == "POST") as first:
        slots.nth(0).click()
    assert first.value.status == 201, first.value.text()
    first_hold = first.value.json()
    expect(page.locator("#hold-text")).to_contain_text(TEXT[lang]["held"])
    expect(page.locator("#status")).to_contain_text("minutes")  # announced once, when taken
    expect(page.locator("#policy-note")).to_contain_text(TEXT[lang]["policy"])  # the real CANCEL_CUTOFF_HOURS
    assert shown_phone(location) in page.locator("#policy-note").inner_text()
    assert page.locator(f"#policy-note a[href='tel:{location['phone']}']").count() == 1  # dialled as E.164
    check_a11y(page, "a time held")
    assert not [s for s in public_slots(site, service, location) if same(s, first_hold["slot"])]  # gone for others

    # Another time: the first hold is let go (DELETE) and its time is free again; the second is held.
    with page.expect_response(lambda r: "/api/v1/holds/" in r.url and r.request.method == "DELETE") as let_go, \
            page.expect_response(lambda r: r.url.endswith("/api/v1/holds") and r.request.method == "POST") as second:
        slots.nth(1).click()
    assert let_go.value.status == 204 and second.value.status == 201
    held = second.value.json()
    assert second.value.request.post_data_json["start"][:16] == held["slot"]["start"][:16]
    others = public_slots(site, service, location)
    assert [s for s in others if same(s, first_hold["slot"])] and not [s for s in others if same(s, held["slot"])]

    person = patient(lang)
    page.locator("#patient-name").fill(person["name"])
    page.locator("#patient-email").fill(person["email"])
    page.locator("#patient-phone").fill(person["phone"])
    with page.expect_request(lambda r: r.url.endswith("/api/v1/bookings") and r.method == "POST") as booked:
        page.locator("#book-button").click()
    assert booked.value.post_data_json["hold_id"] == held["id"]
    assert booked.value.headers["x-hold-token"] == held["hold_token"]
    page.locator("#confirmation").wait_for()
    expect(page.locator("#hold-box")).to_be_hidden()
    booking_id = re.search(r"#manage=([0-9A-Za-z]+)\.", page.locator("#manage-link").input_value())[1]
    booking = api(site, f"bookings/{booking_id}")
    assert same(booking, held["slot"]) and booking["status"] in ("confirmed", "requested")


@pytest.mark.parametrize("size, lang", [pytest.param("phone", "es", id="phone-es")])
def test_too_many_holds_is_explained_and_a_hold_that_runs_out_says_so_and_offers_to_pick_again(
        context, site, choices, check_a11y, size, lang):
    service, location = choices["in_person"]
    mine = []  # two live holds from this client address (the limit, HOLDS_PER_CLIENT [2]), through the API
    for slot in public_slots(site, service, location)[2:4]:
        made = requests.post(f"{site.base_url}/api/v1/holds", timeout=10, json={
            "service_id": service["id"], "provider_id": slot["provider_id"], "location_id": location["id"],
            "start": slot["start"]})
        assert made.status_code == 201, made.text
        mine.append(made.json())
    page = context.new_page()
    open_times(page, service, location)
    page.locator("#slots button.slot").nth(1).wait_for()
    page.clock.install()  # the page's clock from here on: the hold's countdown is run forward below
    page.locator("#slots button.slot").first.click()
    expect(page.locator("#hold-text")).to_contain_text(TEXT[lang]["too_many"])
    expect(page.locator("#status")).to_contain_text(TEXT[lang]["too_many"])
    check_a11y(page, "too many holds")
    for hold in mine:
        gone = requests.delete(f"{site.base_url}/api/v1/holds/{hold['id']}", timeout=10,
                               headers={"X-Hold-Token": hold["hold_token"]})
        assert gone.status_code == 204, gone.text

    with page.expect_response(lambda r: r.url.endswith("/api/v1/holds") and r.request.method == "POST") as taken:
        page.locator("#slots button.slot").nth(1).click()
    assert taken.value.status == 201
    expect(page.locator("#hold-text")).to_contain_text(TEXT[lang]["held"])
    page.clock.run_for("08:30")  # two minutes left: said once
    expect(page.locator("#status")).to_contain_text(TEXT[lang]["ending"])
    page.clock.run_for("02:00")  # run out
    expect(page.locator("#status")).to_contain_text(TEXT[lang]["expired"])
    expect(page.locator("#hold-again")).to_be_visible()
    check_a11y(page, "a hold that ran out")
    with page.expect_response(lambda r: "/api/v1/holds/" in r.url and r.request.method == "DELETE"):
        page.locator("#hold-again").click()  # let go (if the server still holds it) and list the times again
    expect(page.locator("#slots-heading")).to_be_focused()
    expect(page.locator("#details-section")).to_be_hidden()


@pytest.mark.parametrize("size, lang", [pytest.param("desktop", "es", id="desktop-es")])
def test_a_late_cancel_through_the_manage_link_is_explained_with_the_clinics_phone(context, site, choices,
                                                                                  check_a11y, size, lang):
    service, location = choices["in_person"]
    slot = public_slots(site, service, location)[-1]
    made = book_through_api(site, service, location, slot)
    page = context.new_page()
    page.goto(f"/book#manage={made['id']}.{made['manage_token']}")
    page.locator("#manage-actions").wait_for()
    page.locator("#cancel-start").click()
    page.locator("#cancel-form button[type=submit]").click()
    late = page.locator("#manage-late")
    expect(late).to_be_visible()
    expect(late).to_be_focused()
    assert TEXT[lang]["late"] in late.inner_text() and shown_phone(location) in late.inner_text()
    assert page.locator(f"#manage-late a[href='tel:{location['phone']}']").count() == 1
    expect(page.locator("#status")).to_contain_text(shown_phone(location))
    check_a11y(page, "a late cancel refused")
    assert api(site, f"bookings/{made['id']}")["status"] == "confirmed"


@pytest.mark.parametrize("size, lang", [pytest.param("phone", "es", id="phone-es")])
def test_a_patient_joins_the_waitlist_from_a_choice_with_no_times(context, site, choices, check_a11y, size, lang):
    service, location = choices["telehealth"]
    nowhere = next((s for s in ("WY", "ND", "SD", "AK", "HI", "VT")
                    if not public_slots(site, service, location, patient_state=s)), None)
    if nowhere is None:
        pytest.skip("every candidate state has telehealth times")
    page = context.new_page()
    page.goto("/book")
    page.locator(f"#service-options input[value='{service['id']}']").check()
    page.locator(f"#location-options input[value='{location['id']}']").check()
    page.locator("#visit-state").select_option(nowhere)
    page.locator("#find-times").click()
    expect(page.locator("#slots-why")).to_contain_text(TEXT[lang]["no_slots"])  # nobody licensed there: said why
    page.locator("#waitlist-open").click()
    expect(page.locator("#waitlist-heading")).to_be_focused()
    check_a11y(page, "the waitlist form")
    page.locator("#wl-from").fill("18:00")
    page.locator("#wl-to").fill("09:00")
    page.locator("#wl-submit").click()  # empty details and a backwards window: said, and where
    page.locator("#err-wl-window").wait_for()
    assert page.locator("#wl-name").get_attribute("aria-invalid") == "true"
    check_a11y(page, "the waitlist form with errors")
    page.locator("#wl-to").fill("19:00")
    person = patient(lang)
    page.locator("#wl-name").fill(person["name"])
    page.locator("#wl-email").fill(person["email"])
    page.locator("#wl-phone").fill(person["phone"])
    page.locator("#wl-submit").click()
    expect(page.locator("#wl-done")).to_be_visible()
    expect(page.locator("#wl-done-heading")).to_have_text(TEXT[lang]["joined"])
    expect(page.locator("#wl-done-heading")).to_be_focused()
    check_a11y(page, "joined the waitlist")
    match = WAITLIST_LINK.match(page.locator("#wl-link").input_value())
    assert match, page.locator("#wl-link").input_value()
    entry = api(site, f"waitlist/{match[1]}")
    assert entry["status"] == "waiting" and entry["patient_state"] == nowhere and entry["modality"] == "telehealth"
    assert entry["windows"] == [{"days": ["mon", "tue", "wed", "thu", "fri"], "from": "18:00", "to": "19:00"}]

    page.goto(f"/book#waitlist={match[1]}.{match[2]}")  # the entry's own link
    expect(page.locator("#offer-details")).to_contain_text(TEXT[lang]["waiting"])
    check_a11y(page, "the waitlist entry")


@pytest.mark.parametrize("size, lang", [pytest.param("desktop", "en", id="desktop-en")])
def test_an_offer_link_shows_the_time_that_opened_up_and_books_it_in_one_step(context, site, choices, check_a11y,
                                                                            size, lang):
    from bookings.domain.waitlist import link_credential, link_key

    service, location = choices["in_person"]
    slot = public_slots(site, service, location)[-2]
    taken = book_through_api(site, service, location, slot)
    joined = requests.post(f"{site.base_url}/api/v1/waitlist", timeout=20, json={
        "patient": someone(state=location["address"]["state"]), "service_id": service["id"], "modality": "in_person",
        "location_ids": [location["id"]], "windows": [{"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                                                        "from": "00:00", "to": "23:45"}],
        "until": (date.today() + timedelta(days=30)).isoformat()})
    assert joined.status_code == 201, joined.text
    entry_id = joined.json()["id"]
    cancelled = requests.post(f"{site.base_url}/api/v1/bookings/{taken['id']}/cancel", json={"reason": "test"},
                              headers=site.staff_headers(), timeout=20)  # staff: inside the cutoff too
    assert cancelled.status_code == 200, cancelled.text
    offer = None
    for _ in range(60):  # the freed time is offered by the worker
        offer = api(site, f"waitlist/{entry_id}").get("offer")
        if offer:
            break
        time.sleep(0.25)
    assert offer, "no offer was made"
    credential = link_credential(link_key("", site.secret), entry_id, offer["id"])
    page = context.new_page()
    page.goto(f"/book#offer={credential}")
    expect(page.locator("#offer-heading")).to_have_text(TEXT[lang]["offer"])
    expect(page.locator("#offer-accept")).to_be_visible()
    check_a11y(page, "an offer")
    page.locator("#offer-accept").click()
    expect(page.locator("#confirmation-heading")).to_have_text(TEXT[lang]["booked"])
    check_a11y(page, "an offer accepted")
    entry = api(site, f"waitlist/{entry_id}")
    assert entry["status"] == "booked"
    booking = api(site, f"bookings/{entry['booking_id']}")
    assert same(booking, slot) and booking["status"] == "confirmed"
