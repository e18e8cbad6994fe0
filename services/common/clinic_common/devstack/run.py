"""`make run`: the whole stack in the foreground — datastore, broker, services, workers, gateway.

    python -m clinic_common.devstack.run

Reads the usual environment (config.py) plus GATEWAY_PORT [8080], LOCATIONS_PORT [8081],
BOOKINGS_PORT [8082], NOTIFICATIONS_PORT [8083], WEB_WORKERS [2], DEV_MONGO_PORT [27017],
DEV_MONGO_STORAGE [sqlite | memory], DEVSTACK_READY_TIMEOUT_S [120]. CLINIC_ENV defaults to
development here. Ctrl-C (or SIGTERM) stops everything this run started, and nothing else.
A crashing process is restarted with back-off for as long as the run lasts; the children find
the supervisor's status file in DEVSTACK_STATUS_FILE (the gateway's /health names what fails),
and REDIS_URL points at the local Redis when one answers and none was given.
"""
from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
from urllib.parse import urlsplit

from clinic_common.config import ConfigError, load_settings
from clinic_common.devstack import datastore
from clinic_common.devstack.broker import broker_problem, ensure_broker
from clinic_common.devstack.processes import RestartPolicy, Supervisor
from clinic_common.devstack.ratelimits import rate_limit_storage, redis_answers
from clinic_common.devstack.readiness import HealthWatcher
from clinic_common.devstack.seeding import run_seed
from clinic_common.devstack.stack import SERVICES, Ports, find_repo_root, stack_children
from clinic_common.devstack.status import STATUS_FILE_VAR, StatusFile
from clinic_common.logs import configure_logging

log = logging.getLogger("clinic.devstack")
POLL_S = 0.5
RESTART_POLICY = RestartPolicy()


class Signals:
    """First Ctrl-C / SIGTERM: stop gracefully. A second one: stop without waiting for anyone."""

    def __init__(self):
        self.stop, self.hurry = threading.Event(), threading.Event()

    def install(self) -> "Signals":
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, self._handle)
        return self

    def _handle(self, _signum, _frame):
        if self.stop.is_set():
            self.hurry.set()
        self.stop.set()


class Run:
    def __init__(self, env: dict, root: str, signals: Signals):
        self.env, self.root, self.signals = env, root, signals
        self.ports = Ports.from_env(env)
        self.mongo: Supervisor | None = None
        self.apps: Supervisor | None = None
        self.watcher: HealthWatcher | None = None
        self.status: StatusFile | None = None
        self.started_broker = False

    def start(self, amqp_url: str) -> bool:
        """Datastore, broker, demo data, processes; False when there is no broker to be had."""
        stopping = self.signals.stop.is_set  # Ctrl-C during start-up skips the remaining steps
        self.start_datastore()
        if not stopping() and not self.start_broker(amqp_url):
            return False  # ensure_broker has printed how to get one
        if not stopping():
            run_seed(self.env, self.root, stopping)
        if not stopping():
            self.start_processes()
        return True

    def start_datastore(self) -> None:
        if self.env.get("MONGO_URL"):
            return  # someone else's datastore: use it, never manage it
        self.mongo, url = datastore.start_embedded(self.env, self.root)
        datastore.wait_until_up(self.mongo, url, self.signals.stop.is_set)
        self.env["MONGO_URL"] = url
        log.info("embedded datastore is up", extra={"port": urlsplit(url).port})

    def start_broker(self, amqp_url: str) -> bool:
        was_up = not broker_problem(amqp_url)
        # Only a broker this run started is stopped by it, and ensure_broker only ever starts a local one.
        self.started_broker = not was_up and urlsplit(amqp_url).hostname in ("127.0.0.1", "localhost", "::1")
        return was_up or ensure_broker(amqp_url)

    def start_processes(self) -> None:
        for name, port in self.ports.by_name().items():
            self.env[f"{name.upper()}_PORT"] = str(port)
        for name in SERVICES:  # every process, not just the gateway: bookings calls locations too
            self.env[f"{name.upper()}_URL"] = f"http://127.0.0.1:{getattr(self.ports, name)}"
        redis_env, note = rate_limit_storage(self.env, redis_answers)
        self.env.update(redis_env)
        if note:
            print(note, file=sys.stderr, flush=True)
        self.apps = Supervisor(stack_children(self.ports), self.env, self.root, RESTART_POLICY)
        self.status = StatusFile.fresh()
        self.env[STATUS_FILE_VAR] = self.status.path
        self.publish_status()  # before any child starts: the gateway reads it from its first /health
        self.apps.start_all()
        timeout = float(self.env.get("DEVSTACK_READY_TIMEOUT_S") or 120)
        self.watcher = HealthWatcher(f"http://127.0.0.1:{self.ports.gateway}", timeout).start()

    def publish_status(self) -> None:
        if self.status:
            supervisors = filter(None, (self.mongo, self.apps))
            self.status.publish({name: entry for s in supervisors for name, entry in s.statuses().items()})

    def supervise(self) -> int:
        """Until Ctrl-C: a crash-looping child is retried and reported, never a reason to stop the rest."""
        while not self.signals.stop.is_set():
            for supervisor in filter(None, (self.mongo, self.apps)):
                supervisor.poll()
            self.publish_status()
            self.signals.stop.wait(POLL_S)
        return 0

    def shutdown(self) -> None:
        print("Stopping the clinic stack …", file=sys.stderr, flush=True)
        if self.watcher:
            self.watcher.stop()
        if self.apps:
            self.apps.stop_all(grace_s=10.0, hurry=self.signals.hurry.is_set)
        if self.mongo:  # last: everything above may still be writing on its way out
            self.mongo.stop_all(grace_s=5.0, hurry=self.signals.hurry.is_set)
        if self.started_broker and shutil.which("rabbitmqctl"):
            print("Stopping the RabbitMQ broker this run started …", file=sys.stderr, flush=True)
            subprocess.run(["rabbitmqctl", "stop"], check=False, timeout=60,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if self.status:  # after the children: none of them reads it any more
            self.status.remove()
        print("Stopped.", file=sys.stderr, flush=True)


def prepare_env(environ) -> dict:
    env = dict(environ)
    env["CLINIC_ENV"] = env.get("CLINIC_ENV") or "development"
    env["PYTHONUNBUFFERED"] = "1"  # log lines reach the terminal as they happen
    return env


def setup(environ) -> tuple[Run, str, str]:
    """The run, the broker URL and the log level, or ConfigError / FileNotFoundError / ValueError."""
    env = prepare_env(environ)
    settings = load_settings(env)
    env["AMQP_URL"] = settings.amqp_url
    return Run(env, find_repo_root(), Signals().install()), settings.amqp_url, settings.log_level


def main() -> int:
    try:
        run, amqp_url, log_level = setup(os.environ)
    except (ConfigError, FileNotFoundError, ValueError) as exc:
        print(f"Cannot start: {exc}", file=sys.stderr)
        return 1
    configure_logging("devstack", log_level)
    busy = run.ports.busy()
    if busy:
        print(f"Cannot start: port {', '.join(busy)} is in use; free it or set that variable.", file=sys.stderr)
        return 1
    try:
        return run.supervise() if run.start(amqp_url) else 1
    except (RuntimeError, ValueError, OSError) as exc:
        print(f"Cannot start: {exc}", file=sys.stderr)
        return 1
    finally:
        run.shutdown()


if __name__ == "__main__":
    sys.exit(main())
