"""The real stack, started as `make run` starts it (clinic_common.devstack.run), but isolated.

Own free ports, an in-memory datastore, its own database prefix and broker namespace, and an
environment marker every child inherits: the memory figure finds the processes by it, and the
stop path proves by it that nothing was left behind.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field

import requests

from clinic_common.devmongo import mongo_url
from clinic_common.devstack.datastore import free_port, ping
from clinic_common.devstack.markers import MARKER_VAR, processes_with_marker

READY_TIMEOUT_S, STOP_TIMEOUT_S = 120.0, 30.0
PORT_NAMES = ("GATEWAY", "LOCATIONS", "BOOKINGS", "NOTIFICATIONS", "DEV_MONGO")
# Our stack gets its own datastore and upstreams, and never mails or texts anyone for real.
NOT_INHERITED = ("MONGO_URL", "LOCATIONS_URL", "BOOKINGS_URL", "NOTIFICATIONS_URL", "SMTP_HOST", "SMS_WEBHOOK_URL")


@dataclass
class Stack:
    env: dict
    marker: str
    ports: dict
    log_path: str
    proc: subprocess.Popen | None = None
    leftovers: list = field(default_factory=list)
    direct_mongo_url: str = ""  # a datastore the bench runs itself, when the stack's MONGO_URL is a proxy to it

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name.upper()]}"

    @property
    def mongo_url(self) -> str:
        """Where the bench's own datastore calls go: never through a proxy that counts the stack's."""
        return self.direct_mongo_url or mongo_url("127.0.0.1", self.ports["DEV_MONGO"])

    @property
    def prefix(self) -> str:
        return self.env["MONGO_DB_PREFIX"]

    def log_tail(self, lines: int = 40) -> str:
        with open(self.log_path, errors="replace") as log:
            return "".join(log.readlines()[-lines:])


def bench_env(marker: str, ports: dict, extra_env: dict | None = None) -> dict:
    """`extra_env` is applied last: a figure can opt back in to what NOT_INHERITED keeps out (its own SMTP sink)."""
    tag = uuid.uuid4().hex[:8]
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    env.update({
        "CLINIC_ENV": "development", "JWT_SECRET": f"bench-secret-{uuid.uuid4().hex}",  # 45 bytes
        "AMQP_NAMESPACE": f"bench{tag}", "MONGO_DB_PREFIX": f"bench{tag}",
        "DEV_MONGO_STORAGE": "memory", "RATE_LIMIT_ENABLED": "false",
        MARKER_VAR: marker, **{f"{name}_PORT": str(port) for name, port in ports.items()},
    })
    env.update(extra_env or {})
    return env


def die_with_us():
    """If the bench is killed outright, the kernel sends the runner SIGTERM: its own clean stop."""
    import ctypes

    prctl = ctypes.CDLL(None, use_errno=True).prctl  # resolved before fork
    return lambda: prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG


def start(root: str, extra_env: dict | None = None, direct_mongo_url: str = "") -> Stack:
    """`extra_env`: e.g. SMTP_HOST / SMTP_PORT of a sink the bench runs, or MONGO_URL of a datastore it runs
    (then `direct_mongo_url` is that datastore without the proxy: bench/ownstack.py); none by default."""
    marker = uuid.uuid4().hex
    ports = {name: free_port() for name in PORT_NAMES}
    log_path = os.path.join(tempfile.mkdtemp(prefix="clinic-bench-"), "stack.log")
    stack = Stack(bench_env(marker, ports, extra_env), marker, ports, log_path, direct_mongo_url=direct_mongo_url)
    with open(log_path, "wb") as log:
        # Own session: a Ctrl-C at the terminal reaches only the bench, which then stops the stack once.
        stack.proc = subprocess.Popen([sys.executable, "-m", "clinic_common.devstack.run"], cwd=root, env=stack.env,
                                      stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                      start_new_session=True, preexec_fn=die_with_us())
    try:
        _wait_healthy(stack)
        if not ping(stack.mongo_url):  # the runner moves to another port if ours was taken meanwhile
            raise RuntimeError(f"the stack's datastore is not at {stack.mongo_url}:\n{stack.log_tail()}")
    except BaseException:  # Ctrl-C while waiting too: nothing of ours may outlive the bench
        stop(stack)
        raise
    return stack


def _wait_healthy(stack: Stack) -> None:
    deadline, last = time.monotonic() + READY_TIMEOUT_S, "no answer yet"
    while time.monotonic() < deadline:
        if stack.proc.poll() is not None:
            raise RuntimeError(f"the stack exited ({stack.proc.returncode}) before it was healthy:\n{stack.log_tail()}")
        try:
            response = requests.get(stack.url("gateway") + "/health", timeout=5)
            if response.status_code == 200:
                return
            last = f"{response.status_code} {response.text[:300]}"
        except requests.RequestException as exc:
            last = type(exc).__name__
        time.sleep(0.5)
    raise RuntimeError(f"/health was not 200 within {READY_TIMEOUT_S:.0f} s; last: {last}\n{stack.log_tail()}")


def interrupt(proc: subprocess.Popen | None) -> int | None:
    """SIGINT, as Ctrl-C at `make run`, and its exit code; killed (None) if it has not stopped in time."""
    if proc is None:
        return None
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
    try:
        return proc.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return None


def stop(stack: Stack) -> int | None:
    """SIGINT, as Ctrl-C at `make run`; then whatever still carries our marker is a leftover, killed by pid."""
    code = interrupt(stack.proc)
    stack.leftovers = processes_with_marker(stack.marker)
    for pid in stack.leftovers:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return code
