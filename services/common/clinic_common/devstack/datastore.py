"""The embedded MongoDB-wire server `make run` starts when MONGO_URL is not set, and ports to put things on."""
from __future__ import annotations

import os
import socket
import sys
import time

from pymongo import MongoClient

from clinic_common.devmongo import mongo_url
from clinic_common.devstack.processes import ChildSpec, Supervisor

DEFAULT_PORT = 27017
READY_WAIT_S = 30.0


def port_busy(port: int, host: str = "127.0.0.1") -> bool:
    """True when something listens there; connections lingering from a previous run do not count."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
        try:
            sock.bind((host, port))
            return False
        except OSError:
            return True


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def choose_port(env: dict) -> int:
    """DEV_MONGO_PORT when it is free; otherwise any free port (a real mongod may own 27017)."""
    wanted = int(env.get("DEV_MONGO_PORT") or DEFAULT_PORT)
    if not port_busy(wanted):
        return wanted
    chosen = free_port()
    print(f"Port {wanted} is busy; the embedded datastore uses port {chosen} instead.", file=sys.stderr)
    return chosen


def embedded_spec(env: dict, root: str, port: int) -> ChildSpec:
    """SQLite under var/ by default so data survives restarts; DEV_MONGO_STORAGE=memory for throw-away stacks."""
    argv = [sys.executable, "-m", "clinic_common.devmongo", "--port", str(port)]
    storage = (env.get("DEV_MONGO_STORAGE") or "sqlite").lower()
    if storage not in ("sqlite", "memory"):
        raise ValueError(f"DEV_MONGO_STORAGE must be 'sqlite' or 'memory', got {storage!r}")
    if storage == "sqlite":
        os.makedirs(os.path.join(root, "var"), exist_ok=True)
        argv += ["--sqlite", os.path.join(root, "var", "mongo.sqlite")]
    return ChildSpec("mongo", tuple(argv))


def ping(url: str, timeout_ms: int = 500) -> bool:
    client = MongoClient(url, serverSelectionTimeoutMS=timeout_ms, connectTimeoutMS=timeout_ms)
    try:
        client.admin.command("ping")
        return True
    except Exception:
        return False
    finally:
        client.close()


def start_embedded(env: dict, root: str) -> tuple[Supervisor, str]:
    """The server under its own supervisor, so it can be stopped last, after everything that uses it."""
    port = choose_port(env)
    supervisor = Supervisor([embedded_spec(env, root, port)], env, root)
    supervisor.start_all()
    return supervisor, mongo_url("127.0.0.1", port)


def wait_until_up(supervisor: Supervisor, url: str, stopping) -> None:
    deadline = time.monotonic() + READY_WAIT_S
    child = supervisor.children[0]
    while not stopping():
        if ping(url):
            return
        if not child.running():
            raise RuntimeError(f"the embedded datastore exited with code {child.proc.returncode} before it answered")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the embedded datastore did not answer a ping within {READY_WAIT_S:.0f} s")
        time.sleep(0.2)
