"""Many patients, one slot: the datastore lets exactly one through, whatever the visit lengths."""
from concurrent.futures import ThreadPoolExecutor

import requests

from clinic_common.runner import build_relay

from bookings.config import OUTBOX_COLLECTIONS

BRIEF = {"id": "brief-check-in", "name": "Brief check-in", "duration_minutes": 30, "buffer_minutes": 0,
         "modalities": ["in_person"], "provider_role": "therapist", "requires_confirmation": False}


def _offer_a_30_minute_visit(live_locations, staff):
    """A shorter visit on a 30-minute grid, so contenders overlap without sharing a start time."""
    assert requests.post(f"{live_locations}/api/v1/services", json=BRIEF, headers=staff, timeout=10).status_code == 201
    hannah = requests.get(f"{live_locations}/api/v1/providers/hannah-brooks", timeout=10).json()
    changed = requests.patch(f"{live_locations}/api/v1/providers/hannah-brooks", headers=staff, timeout=10,
                             json={"service_ids": hannah["service_ids"] + [BRIEF["id"]]})
    assert changed.status_code == 200, changed.json()


def test_fifty_concurrent_requests_and_overlapping_others_give_exactly_one_booking(
        settings, app, serve, live_locations, staff, db, booking_body, event_tap):
    _offer_a_30_minute_visit(live_locations, staff)
    url = serve(app).url + "/api/v1/bookings"
    contenders = ([booking_body()] * 50                                               # 09:00-09:50 (+10 buffer)
                  + [booking_body(service="intake")] * 5                               # 09:00-10:00
                  + [booking_body(service=BRIEF["id"], start="2026-12-07T09:30:00-06:00")] * 5)  # 09:30-10:00
    with ThreadPoolExecutor(max_workers=len(contenders)) as pool:
        statuses = list(pool.map(lambda body: requests.post(url, json=body, timeout=60).status_code, contenders))

    assert statuses.count(201) == 1, statuses
    assert statuses.count(409) == len(contenders) - 1, statuses
    assert db.bookings.count_documents({}) == 1
    assert len(db.provider_ledgers.find_one({"_id": "hannah-brooks"})["busy"]) == 1

    tap = event_tap("booking.*")
    relay = build_relay(settings, "bookings", OUTBOX_COLLECTIONS)
    relay.relay_once()
    relay.close()
    assert len(tap.drain(1)) == 1
