"""The real stack, started as `make run` starts it, with the proving ground's proxies in front of its broker and
datastore and an SMTP sink behind it.

`make run` manages its own datastore only when MONGO_URL is unset, so this starts the embedded server itself
(memory, or SQLite under a temp dir when a scenario kills it and wants the data back), puts a proxy in front of it
and one in front of the local RabbitMQ, and hands the proxies' URLs to `python -m clinic_common.devstack.run`.
Own ports, database prefix, broker namespace, and the environment marker that every process of ours carries
(the datastore and the proxies too), so stopping can prove by it that nothing was left behind.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field

import requests

from clinic_common.auth import issue_token
from clinic_common.devmongo import mongo_url
from clinic_common.devstack.datastore import free_port
from clinic_common.devstack.markers import MARKER_VAR, kill_by_marker, processes_with_marker
from clinic_common.devstack.stack import find_repo_root
from bench.stack import interrupt
from prove.faults import Datastore, ProxyProcess, die_with_us
from prove.mail import Sink

READY_TIMEOUT_S = 120.0
BROKER_PORT = 5672
NOT_INHERITED = ("MONGO_URL", "AMQP_URL", "LOCATIONS_URL", "BOOKINGS_URL", "NOTIFICATIONS_URL", "SMTP_HOST",
                 "SMS_WEBHOOK_URL")


@dataclass
class Stack:
    env: dict
    marker: str
    tmp: str
    sink: Sink
    datastore: Datastore
    mongo_proxy: ProxyProcess
    broker_proxy: ProxyProcess
    proc: subprocess.Popen | None = None
    leftovers: list = field(default_factory=list)

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.env[name.upper() + '_PORT']}"

    @property
    def gateway(self) -> str:
        return self.url("gateway")

    @property
    def prefix(self) -> str:
        return self.env["MONGO_DB_PREFIX"]

    @property
    def namespace(self) -> str:
        return self.env["AMQP_NAMESPACE"]

    @property
    def direct_mongo_url(self) -> str:
        """The datastore itself, not through the proxy: the harness reads what really got stored."""
        return self.datastore.url

    def staff_headers(self) -> dict:
        return {"Authorization": f"Bearer {issue_token(self.env['JWT_SECRET'], 'prove', 'staff')}"}

    @property
    def log_path(self) -> str:
        return os.path.join(self.tmp, "stack.log")

    def log_text(self) -> str:
        with open(self.log_path, errors="replace") as log:
            return log.read()

    def log_tail(self, lines: int = 30) -> str:
        return "".join(self.log_text().splitlines(keepends=True)[-lines:])


def start(storage: str = "memory", amqp_query: str = "", extra_env: dict | None = None) -> Stack:
    """storage: "memory" or "sqlite" (survives a SIGKILL); amqp_query: e.g. "heartbeat=5" for the broker URL."""
    marker, tag, tmp = uuid.uuid4().hex, uuid.uuid4().hex[:8], tempfile.mkdtemp(prefix="clinic-prove-")
    marked = {**os.environ, MARKER_VAR: marker}
    datastore = Datastore(free_port(), os.path.join(tmp, "mongo.sqlite") if storage == "sqlite" else None, marked)
    sink = Sink().start()
    stack = Stack({}, marker, tmp, sink, datastore, None, None)
    try:
        datastore.start()
        stack.mongo_proxy = ProxyProcess(free_port(), datastore.port, marked).start()
        stack.broker_proxy = ProxyProcess(free_port(), BROKER_PORT, marked).start()
        stack.env = _env(stack, tag, amqp_query, extra_env)
        with open(stack.log_path, "wb") as log:
            stack.proc = subprocess.Popen([sys.executable, "-m", "clinic_common.devstack.run"], cwd=find_repo_root(),
                                          env=stack.env, stdin=subprocess.DEVNULL, stdout=log,
                                          stderr=subprocess.STDOUT, start_new_session=True,
                                          preexec_fn=die_with_us())
        wait_healthy(stack, READY_TIMEOUT_S)
    except BaseException:
        stop(stack)
        raise
    return stack


def _env(stack: Stack, tag: str, amqp_query: str, extra_env: dict | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    query = f"?{amqp_query}" if amqp_query else ""
    env.update({
        "CLINIC_ENV": "development", "JWT_SECRET": f"prove-secret-{uuid.uuid4().hex}",
        "AMQP_NAMESPACE": f"prove{tag}", "MONGO_DB_PREFIX": f"prove{tag}",
        "MONGO_URL": mongo_url("127.0.0.1", stack.mongo_proxy.port),
        "AMQP_URL": f"amqp://guest:guest@127.0.0.1:{stack.broker_proxy.port}/%2F{query}",
        # One client address sends every booking here: the per-IP write limit would answer most with 429.
        "RATE_LIMIT_ENABLED": "false", MARKER_VAR: stack.marker, **stack.sink.env(),
        **{f"{name}_PORT": str(free_port()) for name in ("GATEWAY", "LOCATIONS", "BOOKINGS", "NOTIFICATIONS")},
    })
    env.update(extra_env or {})
    return env


def health(stack: Stack) -> tuple[int, str]:
    try:
        response = requests.get(stack.gateway + "/health", timeout=5)
        return response.status_code, response.text
    except requests.RequestException as exc:
        return 0, type(exc).__name__


def wait_healthy(stack: Stack, limit_s: float) -> None:
    deadline, last = time.monotonic() + limit_s, (0, "no answer yet")
    while time.monotonic() < deadline:
        if stack.proc.poll() is not None:
            raise RuntimeError(f"the stack exited ({stack.proc.returncode}) before it was healthy:\n{stack.log_tail()}")
        last = health(stack)
        if last[0] == 200:
            return
        time.sleep(0.5)
    raise RuntimeError(f"/health was not 200 within {limit_s:.0f} s; last: {last}\n{stack.log_tail()}")


def stop(stack: Stack, keep_log: bool = False) -> int | None:
    """SIGINT, as Ctrl-C at `make run`; then the proxies, the datastore, the sink; leftovers killed by marker."""
    code = interrupt(stack.proc)
    for part in (stack.mongo_proxy, stack.broker_proxy, stack.datastore):
        if part is not None:
            part.stop()
    stack.sink.stop()
    stack.leftovers = processes_with_marker(stack.marker)
    kill_by_marker(stack.marker)
    if not keep_log:
        shutil.rmtree(stack.tmp, ignore_errors=True)
    return code

