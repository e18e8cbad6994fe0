"""The manage link in the patient's email, opened in Chromium: this module's stack mails through an SMTP sink
(testsupport.notifications.SmtpSink), so the link is the one notifications really sent. The patient manages
the booking from it (no token kept from the page), moves it with each time naming its clinician, and, after a
holiday closure over their visit, sees what changed and their options (another time, telehealth where it is
bookable, cancel), and moves it, which clears the disruption; keeps a disrupted visit at its time by video in
one step; and, their clinician gone, is offered every clinician's times. axe-core on every state.
"""
from __future__ import annotations

import re
import subprocess
import sys
import time
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests
from playwright.sync_api import expect

from clinic_common.devstack.datastore import free_port
from clinic_common.devstack.markers import kill_by_marker
from testsupport.notifications import SmtpSink
from tests.browser.test_booking_page import api, context  # noqa: F401
from tests.system.conftest import REPO_ROOT, Stack, stack_env, wait_until_healthy

pytestmark = [pytest.mark.browser, pytest.mark.system, pytest.mark.integration, pytest.mark.timeout(300)]

FRAGMENT = re.compile(r"#manage=([0-9A-Za-z]+)\.([0-9A-Za-z_-]+)")


@pytest.fixture(scope="module")
def smtp():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture(scope="module")
def stack(amqp_url, tmp_path_factory, smtp):
    """The system tests' stack (tests/system/conftest.py), with its mail going to this module's sink."""
    ports = {name: free_port() for name in ("GATEWAY", "LOCATIONS", "BOOKINGS", "NOTIFICATIONS", "DEV_MONGO")}
    secret = "browser-mail-secret-" + uuid.uuid4().hex
    marker = uuid.uuid4().hex
    log_path = tmp_path_factory.mktemp("mailstack") / "stack.log"
    env = {**stack_env(amqp_url, secret, marker, ports), **smtp.env()}
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "clinic_common.devstack.run"], cwd=REPO_ROOT, env=env,
                                stdout=log, stderr=subprocess.STDOUT)
    running = Stack(f"http://127.0.0.1:{ports['GATEWAY']}", secret, marker, proc, log_path)
    try:
        wait_until_healthy(running)
        yield running
    finally:
        if running.stop() is None:
            proc.kill()
            proc.wait()
        kill_by_marker(marker)


def text_of(message) -> str:
    parts = [message] if not message.is_multipart() else list(message.walk())
    return "\n".join(part.get_content() for part in parts
                     if part.get_content_type() in ("text/plain", "text/html") and not part.is_multipart())


def mailed_link(smtp, to: str, booking_id: str, subject_words: str = "", timeout_s: float = 30.0) -> tuple[str, object]:
    """The manage-link fragment of the newest email to `to` (whose subject has subject_words) for the booking."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for message in reversed(smtp.snapshot()):
            if to not in str(message["To"]) or subject_words.lower() not in str(message["Subject"]).lower():
                continue
            for found in FRAGMENT.finditer(text_of(message)):
                if found[1] == booking_id:
                    return found[0], message
        time.sleep(0.25)
    raise AssertionError(f"no email to {to} with a manage link for {booking_id}: "
                         f"{[(str(m['To']), str(m['Subject'])) for m in smtp.snapshot()]}")


def book(site, when: str, lang: str = "en") -> dict:
    """A CBT visit at Paragould (Miguel Santos and Lucía Ramírez work there), on the first open day from `when`."""
    first = datetime.fromisoformat(when).date()
    slots = api(site, "availability", service_id="therapy-cbt", location_id="paragould", **{
        "from": first.isoformat(), "to": (first + timedelta(days=13)).isoformat()})["slots"]
    assert slots
    tag = uuid.uuid4().hex[:8]
    made = requests.post(f"{site.base_url}/api/v1/bookings", timeout=20, headers={"Idempotency-Key": str(uuid.uuid4())},
                         json={"service_id": "therapy-cbt", "provider_id": slots[0]["provider_id"],
                               "location_id": "paragould", "start": slots[0]["start"],
                               "patient": {"name": f"Mail Patient {tag}", "email": f"mail-{tag}@example.com",
                                           "phone": "+15555550123", "language": lang, "state": "AR"}})
    assert made.status_code == 201, made.text
    return made.json()


@pytest.mark.parametrize("size, lang", [pytest.param("phone", "en", id="phone-en")])
def test_the_patient_manages_the_booking_from_the_link_in_their_email(context, site, smtp, check_a11y, size, lang):
    soon = (datetime.now(ZoneInfo("America/Chicago")) + timedelta(days=3)).date().isoformat()
    booking = book(site, soon, lang)
    fragment, _ = mailed_link(smtp, booking["patient"]["email"], booking["id"])
    assert booking["manage_token"] not in fragment  # the email's own credential, not the page's token
    page = context.new_page()
    page.goto(f"/book{fragment}")
    page.locator("#manage-actions").wait_for()
    expect(page.locator("#manage-details")).to_contain_text(booking["patient"]["name"])
    check_a11y(page, "manage view from the email")
    page.locator("#reschedule-start").click()
    buttons = page.locator("#reschedule-slots button.slot")
    buttons.first.wait_for()
    provider = api(site, f"providers/{booking['provider_id']}")
    for text in buttons.all_inner_texts():
        assert provider["name"] in text and "a clinician" not in text, text
    expect(page.locator("#move-week-prev")).to_have_attribute("aria-disabled", "true")
    with page.expect_response(lambda r: "/api/v1/availability?" in r.url) as asked:
        page.locator("#move-week-next").click()  # the whole horizon when moving too, a week at a time
    first = re.search(r"from=(\d{4}-\d{2}-\d{2})", asked.value.url)[1]
    today = datetime.now(ZoneInfo("America/Chicago")).date()
    assert datetime.fromisoformat(first).date() > today, asked.value.url
    expect(page.locator("#move-week-prev")).to_have_attribute("aria-disabled", "false")
    page.locator("#same-provider").uncheck()  # every clinician: still each time named
    expect(page.locator("#reschedule-slots button.slot").first).to_be_visible()
    assert not [t for t in page.locator("#reschedule-slots button.slot").all_inner_texts() if "a clinician" in t]
    check_a11y(page, "reschedule from the email")


@pytest.mark.parametrize("size, lang", [pytest.param("desktop", "en", id="desktop-en")])
def test_a_closure_over_a_booking_shows_the_patient_what_changed_and_their_options(context, site, smtp, check_a11y,
                                                                                  size, lang):
    later = (datetime.now(ZoneInfo("America/Chicago")) + timedelta(days=8)).date().isoformat()
    booking = book(site, later, lang)
    day = datetime.fromisoformat(booking["start"]).date().isoformat()
    closed = requests.post(f"{site.base_url}/api/v1/locations/paragould/closures", headers=site.staff_headers(),
                           timeout=20, json={"from": day, "to": day, "reason": "Holiday"})
    assert closed.status_code == 201, closed.text
    for _ in range(80):  # the scan marks it (locations' write or the bookings worker)
        disruption = api(site, f"bookings/{booking['id']}").get("disruption")
        if disruption:
            break
        time.sleep(0.25)
    assert disruption and disruption["reason"] == "closure", disruption
    # the disruption's own email ("NOT cancelled, but please choose what to do: ..."), and its link
    fragment, _ = mailed_link(smtp, booking["patient"]["email"], booking["id"], subject_words="NOT cancelled")
    page = context.new_page()
    page.goto(f"/book{fragment}")
    box = page.locator("#manage-disruption")
    expect(box).to_be_visible()
    expect(page.locator("#disruption-reason")).to_have_text("The clinic is closed at this time.")
    telehealth = page.locator("#disruption-telehealth")  # offered only when that time is bookable by video
    if disruption["options"]["telehealth"]:
        expect(telehealth).to_be_visible()
    else:
        expect(telehealth).to_be_hidden()
    expect(page.locator("#disruption-cancel")).to_be_visible()
    check_a11y(page, "a disrupted booking")
    page.locator("#disruption-move").click()
    slot = page.locator("#reschedule-slots button.slot").first
    slot.wait_for()
    check_a11y(page, "another time for a disrupted booking")
    slot.click()
    page.locator("#reschedule-submit").click()
    expect(page.locator("#manage-disruption")).to_be_hidden()
    moved = api(site, f"bookings/{booking['id']}")
    assert moved["disruption"] is None and moved["status"] == "confirmed" and moved["start"] != booking["start"]


@pytest.mark.parametrize("size, lang", [pytest.param("desktop", "en", id="desktop-en")])
def test_a_disrupted_visit_kept_at_its_time_by_telehealth(context, site, smtp, check_a11y, size, lang):
    """The prescriber's Mondays move from the Jonesboro clinic to telehealth: her Monday visit there no longer
    fits, the same time by video is bookable, and the patient keeps it that way in one step."""
    first = (datetime.now(ZoneInfo("America/Chicago")) + timedelta(days=3)).date()
    slots = api(site, "availability", service_id="med-follow-up", location_id="jonesboro", provider_id="grace-okafor",
                **{"from": first.isoformat(), "to": (first + timedelta(days=13)).isoformat()})["slots"]
    monday = next(s for s in slots if datetime.fromisoformat(s["start"]).weekday() == 0)
    tag = uuid.uuid4().hex[:8]
    made = requests.post(f"{site.base_url}/api/v1/bookings", timeout=20, headers={"Idempotency-Key": str(uuid.uuid4())},
                         json={"service_id": "med-follow-up", "provider_id": "grace-okafor", "location_id": "jonesboro",
                               "start": monday["start"], "patient": {"name": f"Video Patient {tag}", "phone": "+15555550123",
                                                                     "email": f"video-{tag}@example.com", "language": lang,
                                                                     "state": "AR"}})
    assert made.status_code == 201, made.text
    booking = made.json()
    schedules = api(site, "providers/grace-okafor")["schedules"]
    schedules.setdefault("telehealth", {})["mon"] = schedules["jonesboro"].pop("mon")
    changed = requests.patch(f"{site.base_url}/api/v1/providers/grace-okafor", headers=site.staff_headers(), timeout=20,
                             json={"schedules": schedules})
    assert changed.status_code == 200, changed.text
    for _ in range(80):
        disruption = api(site, f"bookings/{booking['id']}").get("disruption")
        if disruption:
            break
        time.sleep(0.25)
    assert disruption and disruption["options"]["telehealth"] is True, disruption
    fragment, _ = mailed_link(smtp, booking["patient"]["email"], booking["id"], subject_words="NOT cancelled")
    page = context.new_page()
    page.goto(f"/book{fragment}")
    keep = page.locator("#disruption-telehealth")
    expect(keep).to_be_visible()
    check_a11y(page, "a disruption with the telehealth option")
    with page.expect_request(lambda r: r.url.endswith("/reschedule") and r.method == "POST") as sent:
        keep.click()
    assert sent.value.post_data_json == {"start": booking["start"], "provider_id": "grace-okafor",
                                         "modality": "telehealth", "patient_state": "AR"}
    expect(page.locator("#manage-disruption")).to_be_hidden()
    expect(page.locator("#status")).to_contain_text("telehealth (video) visit")
    moved = api(site, f"bookings/{booking['id']}")
    assert moved["modality"] == "telehealth" and moved["disruption"] is None and moved["start"] == booking["start"]


@pytest.mark.parametrize("size, lang", [pytest.param("phone", "es", id="phone-es")])
def test_a_clinician_no_longer_seeing_patients_offers_every_clinicians_times(context, site, smtp, check_a11y,
                                                                             size, lang):
    """Last in this module: it deactivates a clinician of the module's stack."""
    later = (datetime.now(ZoneInfo("America/Chicago")) + timedelta(days=4)).date().isoformat()
    booking = book(site, later, lang)
    gone = requests.patch(f"{site.base_url}/api/v1/providers/{booking['provider_id']}", headers=site.staff_headers(),
                          timeout=20, json={"active": False})
    assert gone.status_code == 200, gone.text
    for _ in range(80):
        disruption = api(site, f"bookings/{booking['id']}").get("disruption")
        if disruption:
            break
        time.sleep(0.25)
    assert disruption and disruption["reason"] == "provider_inactive", disruption
    fragment, _ = mailed_link(smtp, booking["patient"]["email"], booking["id"], subject_words="NO está cancelada")
    page = context.new_page()
    page.goto(f"/book{fragment}")
    expect(page.locator("#disruption-reason")).to_have_text("Su profesional ya no atiende pacientes aquí.")
    check_a11y(page, "a clinician gone")
    page.locator("#disruption-move").click()
    expect(page.locator("#same-provider")).not_to_be_checked()
    page.locator("#reschedule-slots button.slot").first.wait_for()
    name = api(site, f"providers/{booking['provider_id']}")["name"]
    assert not [t for t in page.locator("#reschedule-slots button.slot").all_inner_texts() if name in t]
