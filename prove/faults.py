"""The levers of the proving ground: the proxies' modes, the datastore process, and SIGKILL by role.

Every process started here carries the stack's marker, so the stack's stop finds it even if a scenario failed
half-way; processes are found by marker and command line, never by a broad name.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from clinic_common.devmongo import mongo_url
from clinic_common.devstack.datastore import ping
from clinic_common.devstack.markers import processes_with_marker


def die_with_us():
    """A preexec hook: if the harness is killed outright, the kernel sends the child SIGTERM (its own clean stop),
    so a stack of ours never outlives the harness (PR_SET_PDEATHSIG, as bench/stack.py does)."""
    import ctypes

    prctl = ctypes.CDLL(None, use_errno=True).prctl  # resolved before fork
    return lambda: prctl(1, int(signal.SIGTERM))


class ProxyProcess:
    """`python -m prove.proxy` in its own process; set() switches its mode and waits for its "ok"."""

    def __init__(self, port: int, upstream_port: int, env: dict):
        self.port, self.upstream_port, self.env, self.proc = port, upstream_port, env, None

    def start(self) -> "ProxyProcess":
        self.proc = subprocess.Popen([sys.executable, "-m", "prove.proxy", str(self.port), str(self.upstream_port)],
                                     env=self.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        self._answer()
        return self

    def set(self, mode: str, period_s: float | None = None) -> None:
        self.proc.stdin.write(f"{mode} {period_s or ''}\n")
        self.proc.stdin.flush()
        self._answer()

    def _answer(self) -> None:
        line = self.proc.stdout.readline().strip()
        if line != "ok":
            raise RuntimeError(f"proxy on {self.port}: {line or 'exited'}")

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.stdin.close()  # EOF ends it
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()


class Datastore:
    """The embedded MongoDB-wire server on a fixed port; SIGKILL and start again on the same port."""

    def __init__(self, port: int, sqlite_path: str | None, env: dict):
        self.port, self.sqlite_path, self.env, self.proc = port, sqlite_path, env, None

    @property
    def url(self) -> str:
        return mongo_url("127.0.0.1", self.port)

    def start(self) -> None:
        argv = [sys.executable, "-m", "clinic_common.devmongo", "--port", str(self.port)]
        if self.sqlite_path:
            argv += ["--sqlite", self.sqlite_path]
        self.proc = subprocess.Popen(argv, env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, preexec_fn=die_with_us())
        if not wait_ping(self.url):
            raise RuntimeError(f"the embedded datastore did not answer on {self.port}")

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.kill()


def wait_ping(url: str, limit_s: float = 30.0) -> bool:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if ping(url):
            return True
        time.sleep(0.2)
    return False


def cmdline(pid: int) -> list[str]:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as raw:
            return [part.decode(errors="replace") for part in raw.read().split(b"\0") if part]
    except OSError:
        return []


def parent_of(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return int(stat.read().rsplit(b")", 1)[1].split()[1])
    except OSError:
        return 0


def pids_running(marker: str, *words: str) -> list[int]:
    """The stack's live processes whose command line holds every one of `words` (e.g. "-m", "notifications.worker")."""
    return [pid for pid in processes_with_marker(marker) if all(word in cmdline(pid) for word in words)]


def gunicorn_master(marker: str, app: str, supervisor_pid: int) -> int | None:
    """The master of `app`'s gunicorn: the one the supervisor started. Not "the one whose parent is not one of
    them": a killed master's workers, orphaned, would pass that test while they finish their requests."""
    masters = [pid for pid in pids_running(marker, app) if parent_of(pid) == supervisor_pid]
    return masters[0] if masters else None


def sigkill(pid: int | None) -> bool:
    if pid is None:
        return False
    try:
        os.kill(pid, signal.SIGKILL)
        return True
    except ProcessLookupError:
        return False


def wait_for_pid(find, old: int | None, limit_s: float) -> int | None:
    """A new process for the role (a pid other than `old`), within limit_s; None if the supervisor never made one."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        pid = find()
        if pid is not None and pid != old:
            return pid
        time.sleep(0.2)
    return None
