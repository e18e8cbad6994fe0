"""A process killed outright (SIGKILL) between the steps of creating a series: once the relay's housekeeping
has run, the series is whole with its confirmation or gone, ledger and bookings agree both ways, and no
span stays blocked for a booking that never came. (test_series_crash.py covers more cases in-process.)"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from bookings.relay import housekeeping
from bookings.series_housekeeping import GRACE

from .conftest import NOW
from .test_series_api import series_body

SERIES_ID = "d" * 32
# The create run in a child process that kills itself with SIGKILL at `step`: after its second ledger
# claim, before its bookings are stored, or after they are stored and before the series is active.
CHILD = """
import json, os, signal, sys
from datetime import datetime
from bookings import create_app, series_operations
from bookings.api.series import deps as series_deps
from bookings.api.series_schemas import SeriesCreateSchema
from bookings.store.ledger import Ledger

env, body, step, now, series_id = json.loads(sys.argv[1])

def die(*_args, **_kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

if step == "claimed-2":
    real, calls = Ledger.claim, []
    def claim(self, *args, **kwargs):
        taken = real(self, *args, **kwargs)
        calls.append(1)
        if len(calls) == 2:
            die()
        return taken
    Ledger.claim = claim
elif step == "before-insert":
    series_operations.insert_bookings = die
elif step == "before-activate":
    series_operations.activate = die
app = create_app(env, {"clock": lambda: datetime.fromisoformat(now)})
with app.test_request_context():
    series_operations.create(series_deps(), SeriesCreateSchema().load(body), series_id, "token")
"""


def killed_at(test_env, live_locations, step: str) -> int:
    arg = json.dumps([{**test_env, "LOCATIONS_URL": live_locations}, series_body(count=3), step, NOW.isoformat(),
                      SERIES_ID])
    child = subprocess.run([sys.executable, "-c", CHILD, arg], capture_output=True, text=True, timeout=90,
                           env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    return child.returncode


def agree(db) -> tuple[list[dict], list[tuple]]:
    active = list(db.bookings.find({"status": {"$in": ["requested", "confirmed"]}}))
    held = sorted((doc["_id"], e["b"], e["s"]) for doc in db.provider_ledgers.find() for e in doc.get("busy", []))
    assert held == sorted((b["provider_id"], b["_id"], b["start"]) for b in active)
    return active, held


@pytest.mark.parametrize("step, finished", [("claimed-2", False), ("before-insert", False), ("before-activate", True)])
def test_a_series_killed_between_steps_is_whole_or_gone_after_housekeeping(test_env, live_locations, db, step,
                                                                        finished):
    assert killed_at(test_env, live_locations, step) == -signal.SIGKILL
    assert db.series.find_one({"_id": SERIES_ID})["status"] == "pending"
    housekeeping(db)()  # too young to judge: a request may still be in flight
    assert db.series.find_one({"_id": SERIES_ID})["status"] == "pending"

    aged = datetime.now(timezone.utc) - GRACE - timedelta(seconds=1)
    db.series.update_many({}, {"$set": {"updated_at": aged, "created_at": aged}})
    db.provider_ledgers.update_many({}, {"$set": {"busy.$[].at": aged - timedelta(minutes=5)}})  # old enough for the reconciler
    housekeeping(db)()

    series = db.series.find_one({"_id": SERIES_ID})
    active, _ = agree(db)
    if finished:
        assert series["status"] == "active" and [e["type"] for e in series["outbox"]] == ["series.created"]
        assert len(active) == 3 and {b["series_id"] for b in active} == {SERIES_ID}
    else:
        assert series["status"] == "failed" and series["outbox"] == [] and active == []
