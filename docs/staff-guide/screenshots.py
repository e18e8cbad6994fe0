"""Screenshots of the staff app for the README's staff guide, taken from a running `make run` stack.

    make run                                                   # in one terminal (CLINIC_ENV=development)
    .venv/bin/python docs/staff-guide/screenshots.py           # in another; --base-url if not :8080

It starts nothing: it drives the stack's /staff page in Chromium (Debian's, or CHROMIUM=/path) at 1280x800
through the development sign-in, and saves one PNG per screen beside this file. So the pictures show some
visits, it books two through the public API first (a demo practice's patients, a few days ahead, as the
booking page would). Screens not built yet on the stack are left out: the navigation says what exists.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import uuid
from datetime import date, timedelta
from pathlib import Path

import requests

OUT = Path(__file__).resolve().parent
SIZE = {"width": 1280, "height": 800}
CHROMIUM = (os.environ.get("CHROMIUM"), "/usr/bin/chromium", "chromium", "chromium-browser")


def chromium() -> str:
    for candidate in CHROMIUM:
        if candidate and (Path(candidate).is_file() or shutil.which(candidate)):
            return shutil.which(candidate) or candidate
    sys.exit("Chromium is missing: apt-get install chromium, or set CHROMIUM=/path/to/chromium")


def book_demo_visits(base: str, count: int = 2) -> list[dict]:
    """`count` visits on one day a few days ahead at the first clinic with free times, booked as patients do."""
    api = f"{base}/api/v1"
    services = [s for s in requests.get(f"{api}/services", timeout=10).json()["services"]
                if "in_person" in s["modalities"] and not s.get("requires_confirmation")]
    locations = [loc for loc in requests.get(f"{api}/locations", timeout=10).json()["locations"]
                 if "in_person" in loc["modalities"]]
    first = date.today() + timedelta(days=3)
    for service in services:
        for location in locations:
            slots = requests.get(f"{api}/availability", timeout=20, params={
                "service_id": service["id"], "location_id": location["id"], "from": first.isoformat(),
                "to": (first + timedelta(days=6)).isoformat()}).json().get("slots", [])
            same_day = [slot for slot in slots if slot["start"][:10] == (slots[0]["start"][:10] if slots else "")]
            if len(same_day) >= count:
                picked = same_day[:: max(1, len(same_day) // count)][:count]
                return [_book(api, service, slot, name) for slot, name in zip(picked, ("Ana Díaz", "Ben Carter"))]
    sys.exit("No free times to book demo visits: is the demo practice seeded?")


def _book(api: str, service: dict, slot: dict, name: str) -> dict:
    patient = {"name": name, "email": f"guide-{uuid.uuid4().hex[:6]}@example.com", "phone": "+15555550123",
               "language": "en", "state": "AR"}
    answer = requests.post(f"{api}/bookings", timeout=20, json={
        "service_id": service["id"], "provider_id": slot["provider_id"], "location_id": slot["location_id"],
        "start": slot["start"], "patient": patient})
    answer.raise_for_status()
    return answer.json()


def sign_in(page, base: str, role: str) -> None:
    page.goto(f"{base}/staff")
    page.locator("#signin-dev").wait_for()
    page.locator("#dev-role").select_option(role)
    page.locator("#dev-name").fill({"staff": "Dana Desk", "admin": "Alex Admin"}[role])
    page.locator("#signin-dev button[type=submit]").click()
    page.locator("#schedule-title").wait_for()


def settled(page, section: str) -> None:
    """Until the screen has drawn what it loads (no "Loading…" left in it), for at most ten seconds."""
    try:
        page.wait_for_function("id => !(document.getElementById(id)?.innerText || '').includes('Loading')", arg=section,
                               timeout=10_000)
    except Exception:  # a screen still loading is photographed as it is; the guide says how to retake
        print(f"{section}: still loading after 10 s", file=sys.stderr)
    page.wait_for_timeout(2000)  # its later parts (a clinic's closures, its clinicians) come in a second call


def shot(page, name: str) -> None:
    page.wait_for_load_state("networkidle")
    path = OUT / f"{name}.png"
    page.screenshot(path=str(path))
    print(f"{path.relative_to(OUT.parent.parent)}  {path.stat().st_size // 1024} KB")


def take(base: str) -> None:
    from playwright.sync_api import sync_playwright

    visits = book_demo_visits(base)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), headless=True)
        page = browser.new_page(viewport=SIZE, locale="en-US")
        page.goto(f"{base}/staff")
        page.locator("#signin-title").wait_for()
        shot(page, "signin")
        sign_in(page, base, "staff")
        page.wait_for_timeout(1500)  # today's first answer drawn first (else it may land after the date change)
        page.get_by_label("Clinic", exact=True).select_option(visits[0]["location_id"])
        page.wait_for_timeout(1500)
        page.get_by_label("Date").fill(visits[0]["start"][:10])  # the visits' day, on the clinic's clock
        page.evaluate("document.activeElement.blur()")
        page.locator(f"tr[data-booking='{visits[0]['id']}']").wait_for()
        shot(page, "schedule")
        page.goto(f"{base}/staff#visit={visits[0]['id']}")
        page.locator("#deliveries tbody tr").first.wait_for()
        shot(page, "visit")
        page.locator("#visit-audit").scroll_into_view_if_needed()
        shot(page, "visit-history")
        screens = [href.removeprefix("#") for href in page.locator("#screens a").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))") if href and href.startswith("#") and len(href) > 1]
        for screen in screens:
            page.goto(f"{base}/staff#{screen}")
            page.locator(f"#{screen}-title").wait_for()
            settled(page, screen)
            shot(page, screen)
        page.get_by_role("button", name="Sign out").click()
        sign_in(page, base, "admin")
        page.goto(f"{base}/staff#catalog")
        page.locator("#cat-services tbody tr").first.wait_for()
        shot(page, "catalog")
        page.locator("#cat-services button[data-key^='edit:']").first.click()
        page.locator("#cat-services form").scroll_into_view_if_needed()
        shot(page, "catalog-edit")
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8080", help="the running stack's gateway")
    take(parser.parse_args().base_url.rstrip("/"))


if __name__ == "__main__":
    main()
