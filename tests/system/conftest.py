"""The whole stack, started exactly as `make run` starts it, once per test module.

Every process of the stack inherits CLINIC_STACK_ID=<marker>, so the tests can prove that
Ctrl-C left nothing behind, and clean up by that marker if a test fails half-way.
It uses its own ports, an in-memory datastore, its own database prefix and its own broker
namespace: it never touches a running `make run` or the real `clinic.events` queues.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from clinic_common.auth import issue_token
from clinic_common.devstack.datastore import free_port
from clinic_common.devstack.markers import MARKER_VAR, kill_by_marker, processes_with_marker

REPO_ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT_S = 120.0
STOP_TIMEOUT_S = 30.0
# The stack gets its own datastore and upstreams, and never mails or texts anyone for real.
NOT_INHERITED = ("MONGO_URL", "LOCATIONS_URL", "BOOKINGS_URL", "NOTIFICATIONS_URL", "SMTP_HOST", "SMS_WEBHOOK_URL")


@dataclass
class Stack:
    base_url: str
    secret: str
    marker: str
    proc: subprocess.Popen
    log_path: Path
    amqp_namespace: str = ""  # the stack's own exchange prefix: a test may tap what it publishes

    def staff_headers(self) -> dict:
        return {"Authorization": f"Bearer {issue_token(self.secret, 'system-test', 'staff')}"}

    def log_tail(self, lines: int = 60) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> int | None:
        """Ctrl-C, as a person at the terminal would press it; the runner's exit code (None if it hung)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            return None

    def leftovers(self) -> list[int]:
        return processes_with_marker(self.marker)

    def health(self) -> tuple[int, dict]:
        response = requests.get(f"{self.base_url}/health", timeout=5)
        try:
            return response.status_code, response.json()
        except ValueError:
            return response.status_code, {}


def stack_env(amqp_url: str, secret: str, marker: str, ports: dict[str, int]) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    tag = uuid.uuid4().hex[:8]
    env.update({
        "CLINIC_ENV": "development",
        "JWT_SECRET": secret,
        "AMQP_URL": amqp_url,
        "AMQP_NAMESPACE": f"sys{tag}",  # never the real clinic.events queues
        "MONGO_DB_PREFIX": f"sys{tag}",
        "DEV_MONGO_STORAGE": "memory",
        "HEARTBEAT_S": "1",
        MARKER_VAR: marker,
        **{f"{name}_PORT": str(port) for name, port in ports.items()},
    })
    return env


def wait_until_healthy(stack: Stack) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    last = "no answer yet"
    while time.monotonic() < deadline:
        if stack.proc.poll() is not None:
            pytest.fail(f"the runner exited with {stack.proc.returncode} before the stack was healthy; "
                        f"last /health: {last}\n{stack.log_tail()}", pytrace=False)
        try:
            status, body = stack.health()
            if status == 200:
                return
            last = f"{status} {body}"
        except requests.RequestException as exc:
            last = type(exc).__name__
        time.sleep(0.5)
    pytest.fail(f"/health was not 200 within {READY_TIMEOUT_S:.0f} s; last: {last}\n{stack.log_tail()}",
                pytrace=False)


@pytest.fixture(scope="module")
def stack(amqp_url, tmp_path_factory):
    ports = {name: free_port() for name in ("GATEWAY", "LOCATIONS", "BOOKINGS", "NOTIFICATIONS", "DEV_MONGO")}
    secret = "system-test-secret-" + uuid.uuid4().hex  # long enough for HS256
    marker = uuid.uuid4().hex
    log_path = tmp_path_factory.mktemp("stack") / "stack.log"
    env = stack_env(amqp_url, secret, marker, ports)
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "clinic_common.devstack.run"], cwd=REPO_ROOT, env=env,
                                stdout=log, stderr=subprocess.STDOUT)
    running = Stack(f"http://127.0.0.1:{ports['GATEWAY']}", secret, marker, proc, log_path, env["AMQP_NAMESPACE"])
    try:
        wait_until_healthy(running)
        yield running
    finally:
        if running.stop() is None:
            proc.kill()
            proc.wait()
        kill_by_marker(marker)
