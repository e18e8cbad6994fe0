"""A change at locations reaches bookings' cached schedules through the event bus, without a restart."""
import threading
import time

import pytest
import requests

from clinic_common.runner import build_consumer, build_relay

from bookings.config import CONSUMER, SERVICE
from bookings.events.handlers import make_handler


@pytest.fixture
def bookings_worker(settings):
    loop = build_consumer(settings, SERVICE, CONSUMER, make_handler)
    thread = threading.Thread(target=loop.run, daemon=True)
    thread.start()
    yield loop
    loop.stop.set()
    thread.join(timeout=5)


def _monday_slots(client):
    answer = client.get("/api/v1/availability?service_id=therapy-cbt&location_id=jonesboro"
                        "&from=2026-12-07&to=2026-12-07").json
    return answer["slots"]


def test_a_closure_empties_the_cached_availability_once_its_event_is_consumed(
        settings, client, live_locations, staff, bookings_worker):
    locations_relay = build_relay(settings, "locations", ("locations", "providers", "services"))
    locations_relay.relay_once()                   # the seed's own announcements
    time.sleep(1.0)                                # the worker has declared and bound its queue
    assert _monday_slots(client)                   # now cached

    closed = requests.post(f"{live_locations}/api/v1/locations/jonesboro/closures", headers=staff, timeout=10,
                           json={"from": "2026-12-07", "to": "2026-12-07", "reason": "training"})
    assert closed.status_code == 201
    assert _monday_slots(client)                   # the cache still answers until the event arrives

    assert locations_relay.relay_once() == 1
    locations_relay.close()
    deadline = time.monotonic() + 10
    while _monday_slots(client) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _monday_slots(client) == []
