"""Process-group helpers for the supervisor: dying with it, and telling whether a group still has a live member."""
from __future__ import annotations

import os
import signal
import sys


def die_with_parent_hook():
    """If the supervisor is killed outright (kill -9), the kernel still sends each child SIGTERM.

    The kernel ties this to the thread that forked: children are only ever started from the main thread.
    """
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    prctl = ctypes.CDLL(None, use_errno=True).prctl  # resolved before fork: no dlopen in the child
    pr_set_pdeathsig = 1
    return lambda: prctl(pr_set_pdeathsig, int(signal.SIGTERM))


def group_has_live_member(pgid: int) -> bool:
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
