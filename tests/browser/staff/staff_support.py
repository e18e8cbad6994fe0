"""What the staff app's browser tests share: who signs in, the screen sizes, and the steps every screen's test
takes (booking a visit through the API, placing it on today's schedule, signing in through the provider,
reading the audit trail). The stack, the provider and the browser are fixtures in conftest.py."""
from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import requests

DESK = {"sub": "desk-1", "email": "dana.desk@clinic.example", "name": "Dana Desk", "clinic_role": "staff"}
CLIENT_ID = "clinic-staff-app"
DESKTOP, TABLET = {"width": 1280, "height": 800}, {"width": 1024, "height": 768}


def book(site, slot: dict, service_id: str, name: str) -> dict:
    patient = {"name": name, "email": f"{uuid.uuid4().hex[:8]}@example.com", "phone": "+15555550123",
               "language": "en", "state": "AR"}
    body = {"service_id": service_id, "provider_id": slot["provider_id"], "location_id": slot["location_id"],
            "start": slot["start"], "patient": patient}
    answer = requests.post(f"{site.base_url}/api/v1/bookings", json=body, timeout=15)
    assert answer.status_code == 201, answer.text
    return answer.json()


def move_to_today(site, booking: dict, minutes_ago: int) -> None:
    """The visit starts `minutes_ago` minutes ago, or at the clinic's midnight when that is later: today at
    the clinic and already started either way (check-in on the day; complete and no-show after the start),
    keeping its length."""
    coll = site.mongo[site.bookings_db]["bookings"]
    doc = coll.find_one({"_id": booking["id"]})
    midnight = datetime.now(ZoneInfo(doc["timezone"])).replace(hour=0, minute=0, second=0, microsecond=0)
    start = max(datetime.now(timezone.utc).replace(second=0, microsecond=0) - timedelta(minutes=minutes_ago),
                midnight.astimezone(timezone.utc))
    length, blocked = doc["end"] - doc["start"], doc["blocked_until"] - doc["start"]
    coll.update_one({"_id": booking["id"]},
                    {"$set": {"start": start, "end": start + length, "blocked_until": start + blocked}})


def sign_in_through_provider(page, check, sub: str) -> None:
    page.goto("/staff")
    page.get_by_role("link", name="Sign in with your practice account").click()
    page.wait_for_url(re.compile(r"http://localhost:\d+/oauth2/authorize"))
    page.get_by_role("button", name=f"Authorize as {sub}").click()
    page.wait_for_url(re.compile(r"/staff$|/staff#?$"))
    page.locator("#schedule-title").wait_for()
    check(page, f"signed in as {sub}")


def set_provider_user(provider_url: str, sub: str, **claims) -> None:
    requests.put(f"{provider_url}/users/{sub}", json=claims, timeout=5).raise_for_status()


def audit_entries(site, **query) -> list[dict]:
    return list(site.mongo[site.bookings_db]["audit"].find(query))
