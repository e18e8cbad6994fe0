"""The `make run` supervisor against dummy children: restarts, giving up, group stops, the Ctrl-C path.

No broker, datastore or service is needed: these run in the unit tier.
"""
from __future__ import annotations

import json
import logging
import os
import signal
import sys
import textwrap
import threading
import time

from clinic_common.devstack import readiness, run
from clinic_common.devstack.datastore import free_port
from clinic_common.devstack.processes import ChildSpec, RestartPolicy, Supervisor
from testsupport.waiting import wait_for

FAST = RestartPolicy(first_delay_s=0.05, max_delay_s=0.2, stable_s=30)


def py(code: str) -> tuple[str, ...]:
    return (sys.executable, "-c", textwrap.dedent(code))


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return False


def test_a_crash_looping_child_is_retried_for_ever_while_the_rest_keeps_running(tmp_path):
    starts = tmp_path / "starts"
    crashy = ChildSpec("crashy", py(f"open({str(starts)!r}, 'a').write('x'); raise SystemExit(3)"))
    sibling = ChildSpec("sibling", py("import time; time.sleep(60)"))
    supervisor = Supervisor([crashy, sibling], dict(os.environ), str(tmp_path), FAST)
    supervisor.start_all()
    try:
        assert wait_for(lambda: (supervisor.poll(), len(starts.read_text()) if starts.exists() else 0)[1] >= 8, 20)
        supervisor.poll()
        assert supervisor.children[1].running()
        status = supervisor.statuses()
        assert status["sibling"]["status"] == "ok"
        failing = status["crashy"]
        assert failing["status"] == "failing" and failing["last_exit"] == "exit code 3"
        assert failing["restarts"] >= 7 and failing["failing_since"]
    finally:
        supervisor.stop_all(grace_s=1)


def test_a_child_killed_by_a_signal_is_reported_with_the_signal_then_recovers(tmp_path):
    policy = RestartPolicy(first_delay_s=0.05, max_delay_s=0.2, stable_s=0.5)
    supervisor = Supervisor([ChildSpec("victim", py("import time; time.sleep(60)"))], dict(os.environ),
                            str(tmp_path), policy)
    supervisor.start_all()
    try:
        first_pid = supervisor.children[0].proc.pid
        os.kill(first_pid, signal.SIGKILL)
        assert wait_for(lambda: (supervisor.poll(), supervisor.statuses()["victim"]["status"])[1] == "failing")
        assert supervisor.statuses()["victim"]["last_exit"] == "signal SIGKILL"
        assert wait_for(lambda: (supervisor.poll(), supervisor.statuses()["victim"]["status"])[1] == "ok", 10)
        recovered = supervisor.statuses()["victim"]
        assert recovered["restarts"] == 1 and recovered["failing_since"] is None
        assert recovered["pid"] != first_pid
    finally:
        supervisor.stop_all(grace_s=1)


def test_back_off_doubles_up_to_its_cap_and_never_overflows():
    policy = RestartPolicy(first_delay_s=1.0, max_delay_s=30.0)
    assert [policy.delay_s(streak) for streak in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]
    assert policy.delay_s(100_000) == 30.0  # a week of crashing at the cap: 2 ** 100000 is no float


def test_children_get_their_env_and_their_own_session(tmp_path):
    out = tmp_path / "out.json"
    code = f"""
        import json, os, time
        json.dump({{"pgid": os.getpgid(0), "sid": os.getsid(0), "pid": os.getpid(), "x": os.environ.get("X")}},
                  open({str(out)!r}, "w"))
        time.sleep(60)
    """
    supervisor = Supervisor([ChildSpec("one", py(code), {"X": "mine"})], {**os.environ, "X": "base"}, str(tmp_path))
    supervisor.start_all()
    try:
        assert wait_for(lambda: out.exists() and out.read_text().endswith("}"))
        seen = json.loads(out.read_text())
        assert seen["x"] == "mine"
        assert seen["pgid"] == seen["sid"] == seen["pid"] != os.getpgid(0)
    finally:
        supervisor.stop_all(grace_s=2)


def test_stop_all_kills_the_whole_group_even_a_stubborn_grandchild(tmp_path):
    pidfile = tmp_path / "grandchild"
    code = f"""
        import signal, subprocess, sys, time
        grandchild = subprocess.Popen([sys.executable, "-c",
            "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)"])
        open({str(pidfile)!r}, "w").write(str(grandchild.pid))
        time.sleep(60)
    """
    supervisor = Supervisor([ChildSpec("parent", py(code))], dict(os.environ), str(tmp_path))
    supervisor.start_all()
    assert wait_for(lambda: pidfile.exists() and pidfile.read_text())
    grandchild = int(pidfile.read_text())
    started = time.monotonic()
    supervisor.stop_all(grace_s=1.0)
    assert time.monotonic() - started < 5
    assert wait_for(lambda: not alive(grandchild), 5)
    assert supervisor.children[0].proc.returncode is not None


FAKE_GATEWAY = """
    import json, os
    from http.server import BaseHTTPRequestHandler, HTTPServer
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            payload = json.dumps({"status": "ok", "components": {}}).encode()
            self.send_response(200 if self.path == "/health" else 404)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        def log_message(self, *args):
            pass
    HTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
"""


def test_the_runner_prints_the_banner_and_stops_everything_on_ctrl_c(monkeypatch, tmp_path, capsys):
    """main() as `make run` calls it, with dummy children in place of the real stack."""
    pidfile = tmp_path / "sleeper"
    children = [ChildSpec("sleeper", py(f"import os, time; open({str(pidfile)!r}, 'w').write(str(os.getpid())); "
                                        "time.sleep(60)")),
                ChildSpec("gateway", py(FAKE_GATEWAY))]
    ports = {name: free_port() for name in ("GATEWAY", "LOCATIONS", "BOOKINGS", "NOTIFICATIONS")}
    for name, port in ports.items():
        monkeypatch.setenv(f"{name}_PORT", str(port))
    monkeypatch.setenv("MONGO_URL", "mongodb://127.0.0.1:1/?directConnection=true")  # not ours: never started
    monkeypatch.setattr(run, "broker_problem", lambda url: "")
    monkeypatch.setattr(run, "run_seed", lambda *args: False)
    monkeypatch.setattr(run, "redis_answers", lambda url: False)  # no I/O beyond the dummy children
    monkeypatch.setattr(run, "stack_children", lambda p: [
        ChildSpec(c.name, c.argv, {"PORT": str(p.gateway)}) for c in children])
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    root_logger = logging.getLogger()
    monkeypatch.setattr(root_logger, "handlers", root_logger.handlers[:])  # main() installs its JSON handler
    monkeypatch.setattr(root_logger, "level", root_logger.level)

    def press_ctrl_c_once_ready():
        wait_for(lambda: readiness.health_status(f"http://127.0.0.1:{ports['GATEWAY']}")[0], 20)
        time.sleep(1.5)  # the watcher polls once a second: let it print the banner first
        os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=press_ctrl_c_once_ready, daemon=True).start()
    try:
        assert run.main() == 0
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
    assert readiness.banner(f"http://127.0.0.1:{ports['GATEWAY']}") in capsys.readouterr().out
    assert not alive(int(pidfile.read_text()))
