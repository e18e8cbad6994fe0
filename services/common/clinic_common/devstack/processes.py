"""Child processes of the dev stack: each in its own session, restarted when it crashes, stopped as a group.

A child that keeps crashing is retried with capped exponential back-off for as long as the stack
runs, and never takes its siblings down: the rest of the stack stays useful, and statuses() says
which child is failing, how it last exited and since when (status.py hands that to the gateway).

A child gets its own session so that Ctrl-C in the terminal reaches only the supervisor,
which then stops every child in order; signalling the whole group (not just the pid)
is what takes gunicorn's workers down with their master.
"""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import time
from dataclasses import dataclass, field

from clinic_common.devstack.groups import die_with_parent_hook, group_has_live_member
from clinic_common.devstack.status import describe_exit, iso

log = logging.getLogger("clinic.devstack")


@dataclass(frozen=True)
class ChildSpec:
    name: str
    argv: tuple[str, ...]
    env: dict = field(default_factory=dict)  # on top of the supervisor's environment


@dataclass(frozen=True)
class RestartPolicy:
    first_delay_s: float = 1.0
    max_delay_s: float = 30.0  # a child that cannot come up is still retried twice a minute
    # Up this long after a crash: started well, recovered, and the back-off starts over (supervisord's
    # startsecs). Longer would report a process that was killed once and came straight back as failing
    # well after it serves again; a real crash loop dies sooner than this and is reported throughout.
    stable_s: float = 3.0

    def delay_s(self, streak: int) -> float:
        """1, 2, 4 … seconds for the 1st, 2nd, 3rd crash in a row, capped (the exponent too: no float overflow)."""
        return min(self.first_delay_s * 2 ** min(max(streak, 1) - 1, 64), self.max_delay_s)


_PREEXEC = die_with_parent_hook()


class Child:
    def __init__(self, spec: ChildSpec, env: dict, cwd: str):
        self.spec, self._env, self._cwd = spec, env, cwd
        self.proc: subprocess.Popen | None = None
        self.started_at = 0.0  # monotonic
        self.restart_at: float | None = None  # monotonic; set while waiting out the back-off
        self.next_try_at: str | None = None  # the same moment on the wall clock, as people read it
        self.restarts = 0
        self.streak = 0  # crashes since it last stayed up the policy's stable_s
        self.last_exit: int | None = None
        self.failing_since: float | None = None  # wall clock, for people and the gateway

    @property
    def name(self) -> str:
        return self.spec.name

    def start(self, now: float | None = None) -> None:
        if self.restart_at is not None:
            self.restarts += 1
        self.restart_at = self.next_try_at = None
        self.started_at = time.monotonic() if now is None else now
        # stdin from /dev/null: a child must not compete with the terminal for keystrokes
        self.proc = subprocess.Popen(list(self.spec.argv), cwd=self._cwd, env={**self._env, **self.spec.env},
                                     stdin=subprocess.DEVNULL, start_new_session=True, preexec_fn=_PREEXEC)
        log.info("started %s", self.name, extra={"child": self.name, "pid": self.proc.pid})

    def status(self) -> dict:
        """This child's entry in the status file (status.py)."""
        return {"status": "failing" if self.streak else "ok",
                "pid": self.proc.pid if self.running() else None,
                "restarts": self.restarts, "last_exit": describe_exit(self.last_exit),
                "failing_since": iso(self.failing_since),
                "next_try_at": self.next_try_at}

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
        return group_has_live_member(self.proc.pid) if os.path.isdir("/proc") else self.signal_group(0)


class Supervisor:
    """Starts children, restarts crashed ones with back-off, and stops them all, group by group."""

    def __init__(self, specs, env: dict, cwd: str, policy: RestartPolicy = RestartPolicy(), clock=time.monotonic):
        self.children = [Child(spec, env, cwd) for spec in specs]
        self.policy, self._clock = policy, clock
        self._stopping = False

    def start_all(self) -> None:
        for child in self.children:
            child.start(self._clock())

    def poll(self) -> None:
        """One supervision step: notice exits, schedule and perform restarts, notice recoveries."""
        now = self._clock()
        for child in self.children:
            if self._stopping:
                return
            if child.restart_at is not None:
                if now >= child.restart_at:
                    self._restart(child, now)
            elif child.proc is not None and not child.running():
                self._on_exit(child, now)
            elif child.streak and now - child.started_at >= self.policy.stable_s:
                log.info("%s has recovered after %d restarts", child.name, child.restarts,
                         extra={"child": child.name})
                child.streak, child.failing_since = 0, None

    def statuses(self) -> dict[str, dict]:
        return {child.name: child.status() for child in self.children}

    def _restart(self, child: Child, now: float) -> None:
        try:
            child.start(now)
        except OSError as exc:  # cannot even fork or exec (out of memory, file gone): try again later
            log.error("cannot restart %s (%s)", child.name, type(exc).__name__, extra={"child": child.name})
            self._schedule_restart(child, now)

    def _on_exit(self, child: Child, now: float) -> None:
        child.signal_group(signal.SIGKILL)  # orphaned gunicorn workers would keep holding the port
        child.last_exit = child.proc.returncode
        self._schedule_restart(child, now)
        log.warning("%s exited (%s); restart %d at %s, failing since %s", child.name,
                    describe_exit(child.last_exit), child.restarts + 1, child.next_try_at, iso(child.failing_since),
                    extra={"child": child.name, "exit_code": child.last_exit, "restarts": child.restarts})

    def _schedule_restart(self, child: Child, now: float) -> None:
        child.streak += 1
        child.failing_since = child.failing_since or time.time()
        delay = self.policy.delay_s(child.streak)
        child.restart_at, child.next_try_at = now + delay, iso(time.time() + delay)

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
