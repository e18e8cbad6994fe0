"""The staff app's Hours and Disruptions screens in real Chromium, on the package's one stack: the front desk
closes a clinic for a day and, before saving, sees the check name the visit booked that day; saves; finds the
visit on the Disruptions screen with its patient told (the booking_disrupted message in its delivery log);
moves it to another time with the keyboard alone and sees it leave the list; special hours that name nobody
on a day nobody works are saved with the warning. axe-core on every state; Spanish once.

The clinic and days are in the last week of the booking horizon (other modules book about ten days ahead),
at the second in-person clinic with free times; every closure made here is deleted at the end."""
from __future__ import annotations

import re
import time
import uuid
from datetime import date, datetime, timedelta, timezone

import pytest
import requests

from tests.browser.staff.staff_support import DESK, TABLET, book, sign_in_through_provider
from tests.system.test_stack import listed

pytestmark = [pytest.mark.browser, pytest.mark.system, pytest.mark.integration, pytest.mark.timeout(300)]


@pytest.fixture(scope="module")
def late_visit(site) -> dict:
    """A confirmed visit of our own in the horizon's last week, and a Sunday then when nobody works."""
    horizon = requests.get(f"{site.base_url}/api/v1/bookings/policy", timeout=10).json()["booking_horizon_days"]
    first = datetime.now(timezone.utc).date() + timedelta(days=int(horizon) - 8)
    window = {"from": first.isoformat(), "to": (first + timedelta(days=6)).isoformat()}
    services = [s for s in listed(site, "services", "services") if "in_person" in s.get("modalities", [])
                and not s.get("requires_confirmation")]
    clinics = [c for c in listed(site, "locations", "locations") if "in_person" in c.get("modalities", [])]
    for clinic in clinics[1:] + clinics[:1]:  # the first clinic is the one other modules' tests use most
        for service in services:
            slots = listed(site, "availability", "slots", service_id=service["id"], location_id=clinic["id"], **window)
            if slots:
                slot = slots[len(slots) // 2]
                made = book(site, slot, service["id"], f"Dora Disrupted {uuid.uuid4().hex[:4]}")
                same_day = [s for s in slots if s["start"][:10] == slot["start"][:10] and s["start"] != slot["start"]
                            and s["provider_id"] != slot["provider_id"]] or \
                           [s for s in slots if s["start"][:10] == slot["start"][:10]
                            and abs(datetime.fromisoformat(s["start"]) - datetime.fromisoformat(slot["start"]))
                            >= timedelta(hours=2)]
                if not same_day:
                    continue
                other = book(site, same_day[0], service["id"], f"Carl Cancelled {uuid.uuid4().hex[:4]}")
                assert made["status"] == other["status"] == "confirmed"
                day = date.fromisoformat(slot["start"][:10])
                sunday = day + timedelta(days=6 - day.weekday()) if day.weekday() != 6 else day + timedelta(days=7)
                return {"booking": made, "other": other, "clinic": clinic, "day": day.isoformat(), "sunday": sunday.isoformat()}
    pytest.fail(f"no free in-person time in {window}")


def delete_our_closures(site, clinic_id: str, reasons: set[str]) -> None:
    url = f"{site.base_url}/api/v1/locations/{clinic_id}/closures"
    for closure in requests.get(url, timeout=10).json()["closures"]:
        if closure["reason"] in reasons:
            requests.delete(f"{url}/{closure['id']}", headers=site.staff_headers(), timeout=10)


def wait_for_disrupted_message(site, booking_id: str) -> dict:
    for _ in range(60):
        records = requests.get(f"{site.base_url}/api/v1/notifications", params={"booking_id": booking_id},
                               headers=site.staff_headers(), timeout=10).json()["notifications"]
        told = [n for n in records if n["kind"] == "booking_disrupted" and n["status"] == "sent"]
        if told:
            return told[0]
        time.sleep(0.5)
    pytest.fail(f"no booking_disrupted message sent for {booking_id}: {records}")


def hours_screen(page):
    return page.get_by_role("region", name="Hours, closures and schedules")


def mailed(smtp, to: str, words: str, timeout_s: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for message in smtp.snapshot():
            if str(message["To"]) == to and any(words in part.get_content() for part in message.walk()
                                                if part.get_content_type() == "text/plain"):
                return True
        time.sleep(0.3)
    return False


def fill_closure(page, day: str, reason: str) -> None:
    screen = hours_screen(page)
    screen.get_by_label("From", exact=True).fill(day)
    screen.get_by_label("To", exact=True).fill(day)
    screen.get_by_label("Reason", exact=True).fill(reason)


def test_a_closure_checked_saved_and_its_visits_moved_and_cancelled(context, site, smtp, late_visit, check_a11y):
    booking, clinic, day = late_visit["booking"], late_visit["clinic"], late_visit["day"]
    name, reason = booking["patient"]["name"], f"Burst pipe {uuid.uuid4().hex[:4]}"
    page = context.new_page()
    try:
        sign_in_through_provider(page, check_a11y, DESK["sub"])
        page.get_by_role("link", name="Hours").click()
        page.get_by_role("heading", level=1, name="Hours, closures and schedules").wait_for()
        hours_screen(page).get_by_label("Clinic", exact=True).select_option(clinic["id"])
        page.get_by_role("heading", name="Clinicians’ schedules here").wait_for()
        page.locator("#schedules tbody tr").first.wait_for()  # who works there, by weekday
        check_a11y(page, "hours of a clinic")

        # The check names our visit before anything is saved; nothing is disrupted yet.
        fill_closure(page, day, reason)
        page.get_by_role("button", name="Check which visits this affects").click()
        page.locator(f"#preview-list li[data-booking='{booking['id']}']", has_text=name).wait_for()
        assert reason in page.locator(f"#preview-list li[data-booking='{booking['id']}']").inner_text()
        assert requests.get(f"{site.base_url}/api/v1/bookings/{booking['id']}", headers=site.staff_headers(),
                            timeout=10).json()["disruption"] is None
        check_a11y(page, "closure checked")

        page.get_by_role("button", name="Save", exact=True).click()
        outcome = page.locator("#closure-outcome")
        outcome.wait_for()
        assert re.match(r"Saved\. \d+ visits on these dates are marked disrupted", outcome.inner_text())
        page.locator("li[data-closure]", has_text=reason).wait_for()
        check_a11y(page, "closure saved")

        # The visit on the Disruptions screen, its patient told (waited for in its delivery log).
        wait_for_disrupted_message(site, booking["id"])
        page.get_by_role("link", name="See the disrupted visits").click()
        page.get_by_role("heading", level=1, name="Disrupted visits").wait_for()
        item = page.locator(f"article[data-booking='{booking['id']}']")
        item.wait_for()
        assert "The clinic is closed that day" in item.inner_text() and reason in item.inner_text()
        assert page.locator(f"#told-{booking['id']}").inner_text().startswith("Yes, Email sent")
        assert item.locator("xpath=ancestor::section[1]/h2").inner_text() == clinic["name"]
        check_a11y(page, "disruptions listed")

        page.get_by_role("button", name="Español").click()
        page.get_by_role("heading", level=1, name="Citas afectadas").wait_for()
        item.get_by_text("La clínica está cerrada ese día", exact=False).wait_for()
        assert item.get_by_role("button", name=re.compile(f"^Ofrecer otra hora: {name}")).count() == 1
        check_a11y(page, "disruptions in Spanish")
        page.get_by_role("button", name="English").click()
        item.get_by_role("button", name=re.compile(f"^Offer another time: {name}")).wait_for()

        # The other visit cancelled with a message: confirmed first, and the patient's cancellation carries it.
        other = late_visit["other"]
        other_item = page.locator(f"article[data-booking='{other['id']}']")
        other_item.get_by_role("button", name=re.compile("^Cancel with a message")).click()
        message = other_item.get_by_label("Message to the patient")
        assert "We are sorry" in message.input_value()
        assert "cancellation message includes your message" in page.locator(f"#will-{other['id']}").inner_text()
        check_a11y(page, "cancel with a message")
        message.fill("The clinic is flooded; we will call you to book again.")
        other_item.get_by_role("button", name="Confirm").click()
        page.locator("#status", has_text=f"{other['patient']['name']}’s visit is cancelled.").wait_for()
        other_item.wait_for(state="detached")
        assert mailed(smtp, other["patient"]["email"], "Reason given: The clinic is flooded; we will call you")

        # Another time with the keyboard alone, at a tablet's size: the panel says what will happen first.
        page.set_viewport_size(TABLET)
        item.get_by_role("button", name=re.compile(f"^Offer another time: {name}")).focus()
        page.keyboard.press("Enter")
        choice = page.locator(f"#time-{booking['id']}")
        choice.wait_for()
        assert page.evaluate("() => document.activeElement.id") == f"time-{booking['id']}"
        assert "The patient is sent the change of time" in page.locator(f"#will-{booking['id']}").inner_text()
        check_a11y(page, "another time offered")
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.textContent") == "Confirm"
        page.keyboard.press("Enter")
        page.locator("#status", has_text=f"{name}’s visit is moved to").wait_for()
        item.wait_for(state="detached")
        check_a11y(page, "visit moved")
        moved = requests.get(f"{site.base_url}/api/v1/bookings/{booking['id']}", headers=site.staff_headers(),
                             timeout=10).json()
        assert moved["disruption"] is None and moved["status"] == "confirmed" and moved["start"] != booking["start"]

        # The closure deleted from the Hours screen, after its own confirmation.
        page.goto(f"/staff#hours={clinic['id']}")
        page.locator("li[data-closure]", has_text=reason).get_by_role("button", name=re.compile("^Delete")).click()
        page.locator("li[data-closure]", has_text=reason).get_by_role("button", name="Confirm").click()
        page.locator("#status", has_text="is deleted").wait_for()
        page.locator("li[data-closure]", has_text=reason).wait_for(state="detached")
    finally:
        delete_our_closures(site, clinic["id"], {reason})


def test_special_hours_nobody_works_are_saved_with_a_warning(context, site, late_visit, check_a11y):
    clinic, sunday, reason = late_visit["clinic"], late_visit["sunday"], f"Open house {uuid.uuid4().hex[:4]}"
    page = context.new_page()
    try:
        sign_in_through_provider(page, check_a11y, DESK["sub"])
        page.goto(f"/staff#hours={clinic['id']}")
        page.get_by_role("heading", level=1, name="Hours, closures and schedules").wait_for()
        # A clinician's schedule opened for editing and saved unchanged: nothing is disrupted.
        first = page.locator("#schedules tbody tr").first
        first.get_by_role("button", name=re.compile("^Edit the schedule of")).click()
        page.locator("#schedule-form").get_by_role("button", name="Save the schedule").click()
        page.locator("#status", has_text="schedule is saved. 0 visits are now disrupted.").wait_for()
        fill_closure(page, sunday, reason)
        page.get_by_role("radio", name="Special hours").check()
        hours_screen(page).get_by_label("Opens", exact=True).fill("10:00")
        hours_screen(page).get_by_label("Closes", exact=True).fill("12:00")
        page.get_by_role("button", name="Check which visits this affects").click()
        page.locator("#preview-heading", has_text="No booked visit would be disrupted.").wait_for()
        check_a11y(page, "special hours checked")
        hours_screen(page).get_by_label("Reason", exact=True).fill(reason + " ")  # an edit asks for the check again
        page.get_by_text("Check again: the form changed.").wait_for()
        assert page.locator("#closure-save").count() == 0
        page.get_by_role("button", name="Check which visits this affects").click()
        page.get_by_role("button", name="Save", exact=True).click()
        warning = page.locator(".outcome .warning")
        warning.wait_for()
        assert sunday in warning.inner_text() and "no times will be offered" in warning.inner_text()
        check_a11y(page, "special hours saved with a warning")
    finally:
        delete_our_closures(site, clinic["id"], {reason})


def test_a_clinics_hours_are_accessible_while_its_closures_are_still_on_their_way(context, site, late_visit,
                                                                               check_a11y):
    """The closures and schedules sections were made empty, named by headings their contents bring later: while
    locations answered, axe found two sections named by a heading that did not exist yet (aria-prohibited-attr;
    the closure journey failed on it in a fresh-clone run). The closures' answer is held back here."""
    page = context.new_page()
    held = []
    sign_in_through_provider(page, check_a11y, DESK["sub"])
    page.get_by_role("link", name="Hours").click()
    page.get_by_role("heading", level=1, name="Hours, closures and schedules").wait_for()
    page.route(re.compile(r"/staff/api/locations/[^/]+/closures"), lambda route: held.append(route))
    hours_screen(page).get_by_label("Clinic", exact=True).select_option(late_visit["clinic"]["id"])
    page.locator("#closures").wait_for(state="attached")
    page.wait_for_timeout(200)
    assert held, "the clinic's closures were asked for"
    check_a11y(page, "hours of a clinic, closures on their way")
    for route in held:
        route.continue_()
    page.locator("#schedules tbody tr").first.wait_for()
