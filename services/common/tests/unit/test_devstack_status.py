"""The supervisor's status file: what `make run` tells the gateway about processes that keep crashing.

No broker, datastore or service is needed: these run in the unit tier.
"""
from __future__ import annotations

import json
import logging
import os
import signal
import sys
import threading

from clinic_common.devstack import run, status
from clinic_common.devstack.datastore import free_port
from clinic_common.devstack.processes import ChildSpec, RestartPolicy
from testsupport.waiting import wait_for

FAILING = {"status": "failing", "pid": None, "restarts": 4, "last_exit": "exit code 3",
           "failing_since": "2026-01-05T10:00:00+00:00", "next_try_at": "2026-01-05T10:00:16+00:00"}
RUNNING = {"status": "ok", "pid": 1234, "restarts": 0, "last_exit": None, "failing_since": None,
           "next_try_at": None}


def test_the_file_is_replaced_whole_and_only_when_something_changed(tmp_path):
    path = tmp_path / "status.json"
    board = status.StatusFile(str(path))
    assert board.publish({"worker": RUNNING}) is True
    first = path.stat().st_ino
    assert board.publish({"worker": dict(RUNNING)}) is False
    assert board.publish({"worker": FAILING}) is True
    assert path.stat().st_ino != first  # a new file renamed over the old one: readers never see half of it
    assert json.loads(path.read_text())["processes"] == {"worker": FAILING}
    assert os.listdir(tmp_path) == ["status.json"]


def test_a_write_that_fails_is_retried_not_fatal_and_a_removed_folder_comes_back(tmp_path):
    (tmp_path / "a-file").write_text("")
    unwritable = status.StatusFile(str(tmp_path / "a-file" / "status.json"))  # its folder cannot exist
    assert unwritable.publish({"worker": RUNNING}) is False
    assert unwritable.publish({"worker": RUNNING}) is False  # tried again, not remembered as written
    board = status.StatusFile.fresh()
    board.remove()  # as a /tmp cleaner might, mid-run
    try:
        assert board.publish({"worker": FAILING}) is True
        with open(board.path) as file:
            assert json.load(file)["processes"]["worker"] == FAILING
    finally:
        board.remove()
    assert not os.path.exists(os.path.dirname(board.path))


def test_only_failing_processes_become_down_components_with_their_story(tmp_path):
    path = tmp_path / "status.json"
    status.StatusFile(str(path)).publish({"bookings-worker": FAILING, "gateway": RUNNING})
    components = status.failing_components(str(path))
    assert list(components) == ["bookings-worker"]
    worker = components["bookings-worker"]
    assert worker["status"] == "down"
    assert (worker["last_exit"], worker["restarts"], worker["failing_since"]) == (
        "exit code 3", 4, "2026-01-05T10:00:00+00:00")
    assert "exit code 3" in worker["detail"] and "4 restarts" in worker["detail"]


def test_an_unreadable_status_file_is_itself_reported(tmp_path):
    missing = status.failing_components(str(tmp_path / "gone.json"))
    assert missing["supervisor"]["status"] == "down"
    (tmp_path / "bad.json").write_text("{not json")
    assert status.failing_components(str(tmp_path / "bad.json"))["supervisor"]["status"] == "down"


def test_the_runner_keeps_the_stack_up_and_publishes_a_crash_loop(monkeypatch, tmp_path):
    """main() as `make run` calls it: one child exits at once, for ever; the other keeps running."""
    seen = tmp_path / "seen"
    reporter = ("import os, time; open(%r, 'w').write(os.environ.get('DEVSTACK_STATUS_FILE', '')); "
                "time.sleep(60)") % str(seen)
    children = [ChildSpec("crashy", (sys.executable, "-c", "raise SystemExit(3)")),
                ChildSpec("reporter", (sys.executable, "-c", reporter))]
    for name in ("GATEWAY", "LOCATIONS", "BOOKINGS", "NOTIFICATIONS"):
        monkeypatch.setenv(f"{name}_PORT", str(free_port()))
    monkeypatch.setenv("MONGO_URL", "mongodb://127.0.0.1:1/?directConnection=true")  # not ours: never started
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setattr(run, "broker_problem", lambda url: "")
    monkeypatch.setattr(run, "run_seed", lambda *args: False)
    monkeypatch.setattr(run, "redis_answers", lambda url: False)
    monkeypatch.setattr(run, "stack_children", lambda ports: children)
    monkeypatch.setattr(run, "POLL_S", 0.05)
    monkeypatch.setattr(run, "RESTART_POLICY", RestartPolicy(first_delay_s=0.02, max_delay_s=0.1, stable_s=30))
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    root_logger = logging.getLogger()
    monkeypatch.setattr(root_logger, "handlers", root_logger.handlers[:])  # main() installs its JSON handler
    monkeypatch.setattr(root_logger, "level", root_logger.level)
    observed = {}

    def crash_loop_seen_then_ctrl_c():
        try:
            wait_for(lambda: seen.exists() and seen.read_text(), 20)
            path = observed["path"] = seen.read_text()
            wait_for(lambda: _restarts(path, "crashy") >= 8, 20)  # the old supervisor gave up after 5
            with open(path) as file:
                observed["status"] = json.load(file)["processes"]
        finally:
            os.kill(os.getpid(), signal.SIGINT)  # whatever happened: main() must return

    threading.Thread(target=crash_loop_seen_then_ctrl_c, daemon=True).start()
    try:
        assert run.main() == 0
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
    assert observed["status"]["crashy"]["status"] == "failing"
    assert observed["status"]["reporter"]["status"] == "ok"
    assert not os.path.exists(observed["path"])  # removed with the run: no stale verdict for the next one


def _restarts(path: str, name: str) -> int:
    try:
        with open(path) as file:
            return json.load(file)["processes"][name]["restarts"]
    except (OSError, ValueError, KeyError):
        return 0
