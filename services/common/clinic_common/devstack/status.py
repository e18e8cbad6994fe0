"""The supervisor's status file: how `make run` tells the gateway which of its processes keep crashing.

The supervisor owns the file and names it in DEVSTACK_STATUS_FILE for every child; the gateway's
/health reads it when that variable is set. Under docker-compose or Kubernetes nothing sets it: the
orchestrator restarts processes and reports them itself. The format lives here, writer and reader
together, so the two sides cannot drift apart.

    {"supervisor_pid": 123, "updated_at": "<ISO>", "processes": {"<name>": {
        "status": "ok" | "failing", "pid": 456 | null, "restarts": 4, "last_exit": "exit code 3" | "signal SIGKILL",
        "failing_since": "<ISO>" | null, "next_try_at": "<ISO>" | null}}}
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import tempfile
import time
from datetime import datetime, timezone

STATUS_FILE_VAR = "DEVSTACK_STATUS_FILE"
log = logging.getLogger("clinic.devstack")


def iso(wall_time: float | None) -> str | None:
    if wall_time is None:
        return None
    return datetime.fromtimestamp(wall_time, timezone.utc).isoformat(timespec="seconds")


def describe_exit(returncode: int | None) -> str | None:
    """Popen's negative return codes are the signal that ended the process."""
    if returncode is None:
        return None
    if returncode < 0:
        try:
            return f"signal {signal.Signals(-returncode).name}"
        except ValueError:
            return f"signal {-returncode}"
    return f"exit code {returncode}"


class StatusFile:
    """Rewritten whole (a new file renamed over the old) and only when a process's story changed."""

    def __init__(self, path: str):
        self.path = path
        self._last: dict | None = None
        self._failing = False

    @classmethod
    def fresh(cls) -> "StatusFile":
        """One per run, so no run reads another's verdict; a private folder keeps the rename atomic and ours."""
        return cls(os.path.join(tempfile.mkdtemp(prefix="clinic-devstack-"), "status.json"))

    def remove(self) -> None:
        shutil.rmtree(os.path.dirname(self.path), ignore_errors=True)

    def publish(self, processes: dict[str, dict]) -> bool:
        """True when written. A failed write is logged once and retried next time, never fatal to the stack."""
        if processes == self._last:
            return False
        try:
            self._write({"supervisor_pid": os.getpid(), "updated_at": iso(time.time()), "processes": processes})
        except OSError as exc:
            if not self._failing:
                log.warning("cannot write the status file %s (%s)", self.path, type(exc).__name__)
            self._failing = True
            return False
        self._last, self._failing = {name: dict(entry) for name, entry in processes.items()}, False
        return True

    def _write(self, document: dict) -> None:
        folder = os.path.dirname(os.path.abspath(self.path))
        os.makedirs(folder, exist_ok=True)  # a /tmp cleaner may have taken it during a long run
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".status-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w") as file:
                json.dump(document, file)
            os.replace(temporary, self.path)  # atomic on POSIX: a reader sees the old file or the new one
        except BaseException:
            os.unlink(temporary)
            raise


def failing_components(path: str) -> dict[str, dict]:
    """/health components for the processes the supervisor says are failing; the file itself when unreadable."""
    try:
        with open(path) as file:
            processes = json.load(file)["processes"]
        return {str(name): _down(entry) for name, entry in processes.items() if entry.get("status") != "ok"}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        # The supervisor writes it before any child starts: not being able to read it is itself news.
        return {"supervisor": {"status": "down", "detail": f"status file unreadable ({type(exc).__name__})"}}


def _down(entry: dict) -> dict:
    restarts, last_exit, since = entry.get("restarts", 0), entry.get("last_exit"), entry.get("failing_since")
    detail = f"crash-looping: last {last_exit}, {restarts} restarts, failing since {since}"
    if entry.get("next_try_at"):
        detail += f", next try at {entry['next_try_at']}"
    return {"status": "down", "detail": detail, "last_exit": last_exit, "restarts": restarts,
            "failing_since": since}
