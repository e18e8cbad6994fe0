"""Finding a stack's processes by an environment marker every child inherits (CLINIC_STACK_ID).

The system tests and the bench use it to prove that stopping a stack leaves nothing behind.
"""
from __future__ import annotations

import os
import signal

MARKER_VAR = "CLINIC_STACK_ID"


def processes_with_marker(marker: str) -> list[int]:
    """Live processes whose environment carries the marker (a zombie's environ reads empty)."""
    needle = f"{MARKER_VAR}={marker}".encode()
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == os.getpid():
            continue
        try:
            with open(f"/proc/{name}/environ", "rb") as environ:
                if needle in environ.read().split(b"\0"):
                    found.append(int(name))
        except OSError:
            continue  # gone meanwhile, or not ours to read
    return found


def kill_by_marker(marker: str) -> list[int]:
    pids = processes_with_marker(marker)
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return pids
