"""Where the CPU went during a load: per-process CPU seconds of the stack, by the stack's env marker.

A ratio says how fast; this says which process paid, so a missed target points somewhere.
"""
from __future__ import annotations

import os
import time
from collections import Counter

from bench.memory import process_name
from bench.stack import processes_with_marker

TICKS = os.sysconf("SC_CLK_TCK")
QUIET_MAX_S = 60.0


def snapshot(marker: str) -> dict[int, tuple[str, float]]:
    """pid -> (name, CPU seconds so far: user + system)."""
    found = {}
    for pid in processes_with_marker(marker):
        try:
            with open(f"/proc/{pid}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue  # exited meanwhile
        found[pid] = (process_name(pid), (int(fields[11]) + int(fields[12])) / TICKS)
    return found


def busiest(before: dict, after: dict, top: int = 4) -> str:
    """'bookings gunicorn worker 3.1 s, ...': CPU spent between two snapshots, summed per process name."""
    spent = Counter()
    for pid, (name, seconds) in after.items():
        spent[name] += seconds - before.get(pid, (name, 0.0))[1]
    return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in spent.most_common(top))


def settle(marker: str, max_s: float = QUIET_MAX_S, quiet_cores: float = 0.35) -> tuple[float | None, str]:
    """Wait until the stack as a whole uses less than `quiet_cores` of CPU over a second.

    A figure's load leaves work behind (events to relay, notifications to write) that would slow the
    next figure's datastore calls: (seconds waited or None if never quiet, who was busy meanwhile).
    """
    began, first = time.monotonic(), snapshot(marker)
    before = first
    while time.monotonic() - began < max_s:
        time.sleep(1.0)
        after = snapshot(marker)
        used = sum(seconds - before.get(pid, (name, 0.0))[1] for pid, (name, seconds) in after.items())
        if used < quiet_cores:
            return time.monotonic() - began, busiest(first, after, top=3)
        before = after
    return None, busiest(first, snapshot(marker), top=3)


def machine_busy_s() -> float:
    """CPU seconds every process on the machine has used since boot (all cores)."""
    with open("/proc/stat") as stat:
        user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, stat.readline().split()[1:9])
    return (user + nice + system + irq + softirq + steal) / TICKS


def ours_s(marker: str) -> float:
    """CPU seconds used so far by the bench process and the live processes of its stack."""
    own = os.times()
    return own.user + own.system + sum(seconds for _name, seconds in snapshot(marker).values())


class Neighbours:
    """How much CPU other processes on this machine took while the figures ran: they make figures noisier.

    Approximate: a stack process that exited meanwhile (the seed) drops out of our share.
    """

    def __init__(self, marker: str):
        self._marker = marker
        self._began = (time.monotonic(), machine_busy_s(), ours_s(marker))

    def report(self) -> str:
        wall = time.monotonic() - self._began[0]
        others = max(machine_busy_s() - self._began[1] - (ours_s(self._marker) - self._began[2]), 0.0)
        available = wall * (os.cpu_count() or 1)
        share = others / available if available else 0.0
        note = "  (figures noisier than usual)" if share > 0.1 else ""
        return (f"other processes on this machine used {others:.1f} CPU-s of {available:.0f} available "
                f"({share:.0%}; the shared RabbitMQ broker counts here) while the figures ran{note}")
