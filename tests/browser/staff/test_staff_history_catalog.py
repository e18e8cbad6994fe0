"""A visit's history and the administrator's catalog in real Chromium, on the package's stack: the front desk
resends a visit's confirmation from its details and sees the new record, and reads the visit's audit trail
(its own read and check-in, by email); a text without the patient's consent is refused in plain words; an
administrator changes a visit type's Spanish name in the catalog (a bad length first: the message beside
the field), with the keyboard, and the booking page shows it in Spanish; front-desk staff see no catalog
and the gateway refuses their catalog write. axe-core on every state."""
from __future__ import annotations

import re
import uuid

import pytest
import requests
from playwright.sync_api import expect

from clinic_common.auth import issue_token
from tests.browser.staff.staff_support import (DESK, DESKTOP, TABLET, book, move_to_today, set_provider_user,
                                               sign_in_through_provider)
from tests.browser.staff.test_staff_app import tab_to
from tests.system.test_stack import a_free_slot
from testsupport.waiting import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.system, pytest.mark.integration, pytest.mark.timeout(300)]


def delivery_log(site, booking_id: str) -> list[dict]:
    answer = requests.get(f"{site.base_url}/api/v1/notifications", params={"booking_id": booking_id},
                          headers=site.staff_headers(), timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()["notifications"]


def sign_in_as(page, provider_url: str, role: str) -> str:
    sub = f"{role}-{uuid.uuid4().hex[:6]}"
    set_provider_user(provider_url, sub, email=f"{sub}@clinic.example", name=f"An {role.title()}", clinic_role=role)
    page.goto("/staff")
    page.get_by_role("link", name="Sign in with your practice account").click()
    page.locator("#subject-input").fill(sub)
    page.locator("#subject-input").press("Enter")
    page.locator("#schedule-title").wait_for()
    return f"{sub}@clinic.example"


def test_resend_a_confirmation_and_read_the_audit_trail(context, site, check_a11y):
    service_id, slot = a_free_slot(site, days_ahead=12)
    visit = book(site, slot, service_id, f"Rosa Resend {uuid.uuid4().hex[:4]}")
    assert wait_for(lambda: {n["channel"]: n["status"] for n in delivery_log(site, visit["id"])}.get("email") == "sent",
                    timeout_s=30)
    move_to_today(site, visit, 1)
    page = context.new_page()
    sign_in_through_provider(page, check_a11y, DESK["sub"])
    page.goto(f"/staff#visit={visit['id']}")
    page.get_by_role("heading", level=1, name=f"Visit: {visit['patient']['name']}").wait_for()
    email_row = page.locator("#deliveries tr", has_text="confirmation").filter(has_text="Email")
    expect(email_row).to_contain_text("Sent")
    page.locator("#visit-audit tbody tr").first.wait_for()
    check_a11y(page, "a visit's delivery log and audit trail")
    # Resend the email confirmation: asked first, then the new record is in the log.
    email_row.get_by_role("button", name=re.compile("^Resend: Confirmation by Email")).click()
    group = page.get_by_role("group", name="Send this message again?")
    expect(group.get_by_role("button", name="Send again")).to_be_focused()
    check_a11y(page, "resend asked")
    group.get_by_role("button", name="Send again").click()
    page.locator("#status", has_text="The message is on its way again.").wait_for()
    resent = page.locator("#deliveries tr", has_text="(sent again)")
    expect(resent).to_have_count(1)
    assert wait_for(lambda: any(n.get("resent_from") and n["status"] == "sent" for n in delivery_log(site, visit["id"])),
                    timeout_s=30)
    check_a11y(page, "resent")
    # A text the patient never agreed to: refused, in plain words, and nothing new in the log.
    sms_row = page.locator("#deliveries tr", has_text="Text message").filter(has_text="confirmation")
    sms_row.get_by_role("button", name=re.compile("^Resend")).click()
    page.get_by_role("button", name="Send again").click()
    page.locator("#status", has_text="The patient has not agreed to text messages").wait_for()
    check_a11y(page, "resend refused")
    assert len(delivery_log(site, visit["id"])) == 3
    # Check in from the visit's details, then the audit trail lists the read and the check-in by email.
    page.locator("#visit-actions").get_by_role("button", name=re.compile("^Check in")).click()
    page.locator("#status", has_text="is checked in.").wait_for()
    trail = page.locator("#visit-audit tbody")
    expect(trail.locator("tr", has_text="Checked in").first).to_contain_text(f"{DESK['email']} (Front desk staff)")
    expect(trail.locator("tr", has_text="Viewed the visit").first).to_contain_text(DESK["email"])
    assert visit["patient"]["email"] not in trail.inner_text()
    check_a11y(page, "the audit trail after check-in")
    # In Spanish: the log and the trail are worded again, without another read.
    page.locator(".lang[data-lang='es']").click()
    expect(page.locator("#deliveries tbody")).to_contain_text("Confirmación")
    expect(trail.locator("tr", has_text="Registró la llegada").first).to_contain_text(DESK["email"])
    check_a11y(page, "a visit's history in Spanish")
    page.locator(".lang[data-lang='en']").click()


def test_an_admin_changes_a_visit_types_spanish_name_and_the_booking_page_shows_it(context, site, provider_url,
                                                                                  check_a11y):
    services = requests.get(f"{site.base_url}/api/v1/services", timeout=10).json()["services"]
    service = next(s for s in services if (s.get("translations") or {}).get("es", {}).get("name"))
    admin = {"Authorization": "Bearer " + issue_token(site.secret, "test-admin", "admin")}
    new_name = f"Terapia de prueba {uuid.uuid4().hex[:4]}"
    page = context.new_page()
    sign_in_as(page, provider_url, "admin")
    try:
        page.get_by_role("link", name="Catalog").click()
        page.get_by_role("heading", level=1, name="Clinicians, visit types and clinics").wait_for()
        page.locator(f"tr[data-record='{service['id']}']").wait_for()
        check_a11y(page, "the catalog")
        page.set_viewport_size(TABLET)  # a tablet's width: the page does not scroll sideways (tables may)
        assert page.evaluate("document.documentElement.scrollWidth") <= TABLET["width"]
        check_a11y(page, "the catalog at 1024x768")
        page.set_viewport_size(DESKTOP)
        # With the keyboard: to the visit type's Edit, a bad length first, then the Spanish name.
        tab_to(page, f"button[data-key='edit:services:{service['id']}']", limit=80)
        page.keyboard.press("Enter")
        expect(page.get_by_label("Name (English)")).to_be_focused()
        page.get_by_label("Length (minutes)").fill("an hour")
        page.get_by_label("Length (minutes)").press("Enter")
        error = page.locator("#cat-duration_minutes-error")
        expect(error).to_be_visible()
        expect(page.get_by_label("Length (minutes)")).to_be_focused()
        check_a11y(page, "a field's 422 beside it")
        page.get_by_label("Length (minutes)").fill(str(service["duration_minutes"]))
        page.get_by_label("Name in Spanish").fill(new_name)
        page.get_by_label("Name in Spanish").press("Enter")
        page.locator("#status", has_text=f"{service['name']} is saved.").wait_for()
        expect(page.locator(f"tr[data-record='{service['id']}']")).to_contain_text(new_name)
        check_a11y(page, "saved")
        page.locator(".lang[data-lang='es']").click()
        page.get_by_role("heading", level=2, name="Tipos de cita").wait_for()
        check_a11y(page, "the catalog in Spanish")
        page.locator(".lang[data-lang='en']").click()
        # The public booking page, in Spanish.
        page.goto("/book")
        page.locator(".lang[data-lang='es']").click()
        expect(page.locator("#service-options")).to_contain_text(new_name)
    finally:
        restored = requests.patch(f"{site.base_url}/api/v1/services/{service['id']}", headers=admin, timeout=10,
                                  json={"translations": service["translations"],
                                        "duration_minutes": service["duration_minutes"]})
        assert restored.status_code == 200, restored.text


def test_front_desk_staff_see_no_catalog_and_cannot_write_it(context, site, check_a11y):
    page = context.new_page()
    sign_in_through_provider(page, check_a11y, DESK["sub"])
    expect(page.locator("#screens")).to_be_visible()
    assert page.get_by_role("link", name="Catalog").count() == 0
    services = requests.get(f"{site.base_url}/api/v1/services", timeout=10).json()["services"]
    answer = page.evaluate("""async id => {
        const session = await fetch('/staff/session').then(r => r.json());
        const r = await fetch('/staff/api/services/' + id, {method: 'PATCH', headers: {
            'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf_token},
            body: JSON.stringify({name: 'Renamed by the desk'})});
        return {status: r.status, body: await r.json()};
    }""", services[0]["id"])
    assert answer["status"] == 403 and answer["body"]["type"] == "/problems/admin-only"
    after = requests.get(f"{site.base_url}/api/v1/services/{services[0]['id']}", timeout=10).json()
    assert after["name"] == services[0]["name"]
