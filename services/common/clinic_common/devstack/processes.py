"""Child processes of the dev stack: each in its own session, restarted when it crashes, stopped as a group.

A child gets its own session so that Ctrl-C in the terminal reaches only the supervisor,
which then stops every child in order; signalling the whole group (not just the pid)
is what takes gunicorn's workers down with their master.
"""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections import deque
from dataclasses import dataclass, field

log = logging.getLogger("clinic.devstack")


@dataclass(frozen=True)
class ChildSpec:
    name: str
    argv: tuple[str, ...]
    env: dict = field(default_factory=dict)  # on top of the supervisor's environment


@dataclass(frozen=True)
class RestartPolicy:
    first_delay_s: float = 1.0
    max_delay_s: float = 10.0
    max_crashes: int = 5  # this many crashes within window_s means it will not come up: give up
    window_s: float = 60.0


def _die_with_parent_hook():
    """If the supervisor is killed outright (kill -9), the kernel still sends each child SIGTERM.

    The kernel ties this to the thread that forked: children are only ever started from the main thread.
    """
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    prctl = ctypes.CDLL(None, use_errno=True).prctl  # resolved before fork: no dlopen in the child
    pr_set_pdeathsig = 1
    return lambda: prctl(pr_set_pdeathsig, int(signal.SIGTERM))


_PREEXEC = _die_with_parent_hook()


class Child:
    def __init__(self, spec: ChildSpec, env: dict, cwd: str):
        self.spec, self._env, self._cwd = spec, env, cwd
        self.proc: subprocess.Popen | None = None
        self.restart_at: float | None = None
        self.crashes: deque[float] = deque()

    @property
    def name(self) -> str:
        return self.spec.name

    def start(self) -> None:
        self.restart_at = None
        # stdin from /dev/null: a child must not compete with the terminal for keystrokes
        self.proc = subprocess.Popen(list(self.spec.argv), cwd=self._cwd, env={**self._env, **self.spec.env},
                                     stdin=subprocess.DEVNULL, start_new_session=True, preexec_fn=_PREEXEC)
        log.info("started %s", self.name, extra={"child": self.name, "pid": self.proc.pid})

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def signal_group(self, sig: int) -> bool:
        """Signal the child's whole process group; False when nothing of it is left."""
        if self.proc is None:
            return False
        try:
            os.killpg(self.proc.pid, sig)
            return True
        except (ProcessLookupError, PermissionError):
            return False

    def group_alive(self) -> bool:
        if self.proc is None:
            return False
        self.proc.poll()  # reap the leader first: a zombie would keep the group "alive"
        return _group_has_live_member(self.proc.pid) if os.path.isdir("/proc") else self.signal_group(0)


def _group_has_live_member(pgid: int) -> bool:
    """Zombies do not count: orphans wait for init to reap them, which may take a while in containers."""
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[2]) == pgid and fields[0] != b"Z":
            return True
    return False


class Supervisor:
    """Starts children, restarts crashed ones with back-off, and stops them all, group by group."""

    def __init__(self, specs, env: dict, cwd: str, policy: RestartPolicy = RestartPolicy(), clock=time.monotonic):
        self.children = [Child(spec, env, cwd) for spec in specs]
        self.policy, self._clock = policy, clock
        self.failed = ""  # why we gave up, once we have
        self._stopping = False

    def start_all(self) -> None:
        for child in self.children:
            child.start()

    def poll(self) -> None:
        """One supervision step: notice exits, schedule and perform restarts."""
        now = self._clock()
        for child in self.children:
            if self._stopping or self.failed:
                return
            if child.restart_at is not None:
                if now >= child.restart_at:
                    child.start()
            elif child.proc is not None and not child.running():
                self._on_exit(child, now)

    def _on_exit(self, child: Child, now: float) -> None:
        code = child.proc.returncode
        child.signal_group(signal.SIGKILL)  # orphaned gunicorn workers would keep holding the port
        child.crashes.append(now)
        while child.crashes and now - child.crashes[0] > self.policy.window_s:
            child.crashes.popleft()
        recent = len(child.crashes)
        if recent >= self.policy.max_crashes:
            self.failed = (f"{child.name} exited {recent} times within {self.policy.window_s:.0f} s "
                           f"(last exit code {code}); giving up")
            log.error(self.failed, extra={"child": child.name, "exit_code": code})
            return
        delay = min(self.policy.first_delay_s * 2 ** (recent - 1), self.policy.max_delay_s)
        child.restart_at = now + delay
        log.warning("%s exited with code %s; restarting in %.0f s", child.name, code, delay,
                    extra={"child": child.name, "exit_code": code})

    def stop_all(self, grace_s: float = 10.0, hurry=lambda: False) -> None:
        """SIGTERM every group, wait up to grace_s (less if hurry() turns true), SIGKILL what is left."""
        self._stopping = True
        for child in reversed(self.children):
            child.restart_at = None
            child.signal_group(signal.SIGTERM)
        deadline = time.monotonic() + grace_s
        while time.monotonic() < deadline and not hurry():
            if not any(child.group_alive() for child in self.children):
                break
            time.sleep(0.1)
        for child in self.children:
            if child.group_alive():
                log.warning("%s did not stop in time; killing it", child.name, extra={"child": child.name})
                child.signal_group(signal.SIGKILL)
        for child in self.children:
            if child.proc is not None:
                child.proc.wait()
