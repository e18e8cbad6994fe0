"""The `make run` helpers one by one: health wording, tokens, seeding, storage, the broker it may stop.

No broker, datastore or service is needed: these run in the unit tier.
"""
from __future__ import annotations

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import jwt
import pytest

from clinic_common.devstack import readiness, run, seeding
from clinic_common.devstack.datastore import embedded_spec, free_port
from clinic_common.devstack.token import main as token_main
from testsupport.waiting import wait_for


def test_health_status_names_what_is_down():
    body = {"status": "down", "components": {"mongo": {"status": "ok"}, "bookings": {"status": "down"}}}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            payload = json.dumps(body).encode()
            self.send_response(503)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        assert readiness.health_status(f"http://127.0.0.1:{server.server_port}") == (False, "still down: bookings")
    finally:
        server.shutdown()
        server.server_close()
    assert readiness.health_status(f"http://127.0.0.1:{free_port()}")[1] == "the gateway is not answering yet"


SECRET = "a-test-secret-that-is-at-least-32-bytes-long"


def test_token_is_signed_with_the_configured_secret(capsys):
    assert token_main(["--role", "clinician", "--provider-id", "p1", "--sub", "amy"],
                      environ={"CLINIC_ENV": "production", "JWT_SECRET": SECRET}) == 0
    claims = jwt.decode(capsys.readouterr().out.strip(), SECRET, algorithms=["HS256"])
    assert (claims["sub"], claims["role"], claims["provider_id"]) == ("amy", "clinician", "p1")
    assert token_main([], environ={"CLINIC_ENV": "production"}) == 1


def test_seeding_is_skipped_quietly_when_the_module_does_not_exist(monkeypatch):
    monkeypatch.setattr(seeding, "seed_available", lambda: False)
    assert seeding.run_seed({}, ".", lambda: False) is False


@pytest.mark.parametrize("storage, expect_sqlite", [("memory", False), ("", True), ("SQLite", True)])
def test_embedded_datastore_storage_choice(tmp_path, storage, expect_sqlite):
    argv = embedded_spec({"DEV_MONGO_STORAGE": storage}, str(tmp_path), 12345).argv
    assert ("--sqlite" in argv) is expect_sqlite
    assert argv[argv.index("--port") + 1] == "12345"


@pytest.mark.parametrize("was_up, url, stops", [
    (True, "amqp://guest:guest@127.0.0.1:5672/%2F", False),  # someone else's broker: never stopped
    (False, "amqp://guest:guest@127.0.0.1:5672/%2F", True),  # the one this run started
    (False, "amqp://guest:guest@rabbit.example:5672/%2F", False),  # remote: we could not have started it
])
def test_only_a_broker_this_run_started_is_stopped(monkeypatch, tmp_path, was_up, url, stops):
    calls = []
    monkeypatch.setattr(run, "broker_problem", lambda _url: "" if was_up else "down")
    monkeypatch.setattr(run, "ensure_broker", lambda _url: True)
    monkeypatch.setattr(run.shutil, "which", lambda name: f"/usr/sbin/{name}")
    monkeypatch.setattr(run.subprocess, "run", lambda argv, **kwargs: calls.append(argv))
    stack_run = run.Run({}, str(tmp_path), run.Signals())
    assert stack_run.start_broker(url)
    stack_run.shutdown()
    assert (["rabbitmqctl", "stop"] in calls) is stops


def test_the_watcher_says_what_it_is_waiting_for(monkeypatch):
    monkeypatch.setattr(readiness, "REPORT_EVERY_S", 0.05)
    monkeypatch.setattr(readiness, "health_status", lambda url: (False, "still down: bookings"))
    out = io.StringIO()
    watcher = readiness.HealthWatcher("http://127.0.0.1:1", timeout_s=0.3, out=out, poll_s=0.02).start()
    assert wait_for(lambda: "not healthy after" in out.getvalue(), 5)
    watcher.stop()
    assert "Starting (" in out.getvalue() and "still down: bookings" in out.getvalue()
    assert not watcher.ready.is_set()


@pytest.mark.parametrize("exit_code, succeeded", [(0, True), (2, False)])
def test_seeding_runs_the_module_once_with_if_empty(monkeypatch, tmp_path, exit_code, succeeded):
    (tmp_path / "fakeseed.py").write_text(
        f"import sys; open('seeded', 'w').write(' '.join(sys.argv[1:])); raise SystemExit({exit_code})")
    monkeypatch.setattr(seeding, "seed_available", lambda: True)
    monkeypatch.setattr(seeding, "SEED_MODULE", "fakeseed")
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path)}
    assert seeding.run_seed(env, str(tmp_path), lambda: False) is succeeded
    assert (tmp_path / "seeded").read_text() == "--if-empty"
