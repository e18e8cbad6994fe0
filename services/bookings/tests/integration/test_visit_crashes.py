"""A process killed (SIGKILL) between any two steps of booking a combined visit leaves, once the relay's
housekeeping has run, both parts booked with their spans or nothing at all; and visits racing single
bookings for overlapping parts never double-book and never leave one half-booked."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
import requests

from bookings.relay import housekeeping
from bookings.visit_housekeeping import SETTLE_AFTER

from .conftest import NOW, booking_body
from .test_visits_api import visit_body

STEPS = ("visit-written", "claimed-1", "claimed-2", "claimed", "parts-stored")
FINISHED = ("claimed", "parts-stored")  # killed after the visit reached `storing`: housekeeping finishes it

# The saga run in a child process that kills itself with SIGKILL when it reaches `step`.
CHILD = """
import json, os, signal, sys
from datetime import datetime
from pymongo import MongoClient
from clinic_common.http import timeout_from
from bookings import visit_operations
from bookings.adapters.schedules import ScheduleSource
from bookings.api.visit_schemas import VisitCreateSchema
from bookings.config import SERVICE, booking_policy, load_booking_settings
from bookings.store.bookings import BookingRepository
from bookings.store.epoch import ScheduleEpoch
from bookings.store.ledger import Ledger
from bookings.store.visits import VisitRepository

env, body, step, now = json.loads(sys.argv[1])
settings = load_booking_settings(env)
db = MongoClient(settings.mongo_url, tz_aware=True)[settings.db_name(SERVICE)]

def die_at(reached):
    if reached == step:
        os.kill(os.getpid(), signal.SIGKILL)

deps = visit_operations.VisitDeps(
    visits=VisitRepository.connect(db), bookings=BookingRepository.connect(db), ledger=Ledger(db),
    schedules=ScheduleSource(settings.service_urls["locations"], timeout_from(settings), ScheduleEpoch(db)),
    policy=booking_policy(settings), clock=lambda: datetime.fromisoformat(now), checkpoint=die_at)
visit_operations.book_visit(deps, VisitCreateSchema().load(body), "c" * 32, "token")
"""


def run_killed_at(test_env, live_locations, step: str) -> int:
    arg = json.dumps([{**test_env, "LOCATIONS_URL": live_locations}, visit_body(), step, NOW.isoformat()])
    child = subprocess.run([sys.executable, "-c", CHILD, arg], env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
                           capture_output=True, text=True, timeout=60)
    return child.returncode


def agree(db) -> tuple[list[dict], list[tuple]]:
    """Ledger and bookings agree both ways; (active bookings, held spans)."""
    active = list(db.bookings.find({"status": {"$in": ["requested", "confirmed"]}}))
    held = sorted((doc["_id"], e["b"], e["s"]) for doc in db.provider_ledgers.find() for e in doc.get("busy", []))
    assert held == sorted((b["provider_id"], b["_id"], b["start"]) for b in active)
    return active, held


def settled_later(db, seconds: float = SETTLE_AFTER.total_seconds() + 1) -> None:
    """The relay's housekeeping, as if it ran `seconds` later (the visit's stamps are moved back instead)."""
    db.visits.update_many({}, {"$set": {"updated_at": datetime.now(timezone.utc) - timedelta(seconds=seconds)}})
    housekeeping(db)()


@pytest.mark.parametrize("step", STEPS)
def test_a_saga_killed_after_any_step_is_finished_or_undone_by_housekeeping(test_env, live_locations, db, step):
    assert run_killed_at(test_env, live_locations, step) == -signal.SIGKILL
    visit = db.visits.find_one({"_id": "c" * 32})
    assert visit["status"] == "pending"

    housekeeping(db)()  # too young to judge: perhaps a request still in flight
    assert db.visits.find_one({"_id": "c" * 32})["status"] == "pending"
    settled_later(db)

    active, _ = agree(db)
    visit = db.visits.find_one({"_id": "c" * 32})
    if step in FINISHED:
        assert visit["status"] == "booked" and [e["type"] for e in visit["outbox"]] == ["visit.booked"]
        assert sorted(b["provider_id"] for b in active) == ["grace-okafor", "hannah-brooks"]
    else:
        assert visit is None and active == [] and db.bookings.count_documents({}) == 0


def test_stored_parts_whose_span_went_missing_are_cancelled_and_freed(test_env, live_locations, db):
    assert run_killed_at(test_env, live_locations, "claimed") == -signal.SIGKILL
    plan = db.visits.find_one({"_id": "c" * 32})["plan"]
    db.bookings.insert_one({**plan[0], "version": 1, "created_at": NOW, "updated_at": NOW})  # one part stored
    db.provider_ledgers.update_one({"_id": plan[1]["provider_id"]}, {"$pull": {"busy": {"b": plan[1]["_id"]}}})
    settled_later(db)
    active, held = agree(db)
    assert active == [] and held == [] and db.visits.find_one({"_id": "c" * 32})["status"] == "cancelled"
    assert db.bookings.find_one({"_id": plan[0]["_id"]})["status"] == "cancelled"


def test_visits_and_single_bookings_racing_for_overlapping_parts(app, serve, db):
    """Grace at 10:00 and Hannah at 09:00 are each wanted by several visits and single bookings at once."""
    url = serve(app).url + "/api/v1"
    visits = [visit_body() for _ in range(8)]
    visits += [visit_body(meds="2026-12-07T08:30:00-06:00") for _ in range(4)]  # meds first, the same therapy
    singles = [("bookings", booking_body(provider="grace-okafor", service="med-follow-up",
                                         start="2026-12-07T10:00:00-06:00"))] * 4
    singles += [("bookings", booking_body())] * 4
    calls = [("visits", body) for body in visits] + singles
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        statuses = list(pool.map(lambda c: requests.post(f"{url}/{c[0]}", json=c[1], timeout=60).status_code, calls))
    assert set(statuses) <= {201, 409}, statuses
    active, _ = agree(db)
    for provider in ("hannah-brooks", "grace-okafor"):
        spans = sorted((b["start"], b["blocked_until"]) for b in active if b["provider_id"] == provider)
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), f"{provider} double-booked"
    for visit in db.visits.find():
        parts = list(db.bookings.find({"visit_id": visit["_id"]}))
        assert visit["status"] == "booked" and len(parts) == 2 and all(p["status"] == "confirmed" for p in parts)
    assert db.bookings.count_documents({"visit_id": {"$exists": True}}) == 2 * db.visits.count_documents({})
    assert statuses.count(201) == db.visits.count_documents({}) + db.bookings.count_documents(
        {"visit_id": {"$exists": False}})
