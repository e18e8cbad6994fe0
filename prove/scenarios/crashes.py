"""Processes SIGKILLed mid-load: the notifications worker, the datastore, the bookings gunicorn master.

make run's supervisor restarts the stack's own processes; the datastore is ours (MONGO_URL points at our proxy),
so we restart it, on the same port and on the same SQLite file, as an operator's service manager would.
"""
from __future__ import annotations

import time

from prove.faults import gunicorn_master, pids_running, sigkill, wait_for_pid
from prove.scenarios.common import Observed, under_fault, wait_until

WORKER_BOOKINGS, KILLS = 200, 3
BOOKINGS = 60
RESTART_LIMIT_S = 30.0


def _worker(stack):
    pids = pids_running(stack.marker, "-m", "notifications.worker")
    return pids[0] if pids else None


def worker_killed(stack) -> Observed:
    """SIGKILL the notifications worker three times, spread over 200 bookings."""
    def fault(progress):
        notes = []
        for n in range(1, KILLS + 1):
            wait_until(lambda: progress() >= n * WORKER_BOOKINGS // (KILLS + 1), 120)
            old = _worker(stack)
            killed, ended = sigkill(old), time.monotonic()
            new = wait_for_pid(lambda: _worker(stack), old, RESTART_LIMIT_S)
            notes.append(f"kill {n}: pid {old} killed={killed}, restarted as {new}")
        return notes, ended
    return under_fault(stack, WORKER_BOOKINGS, "worker", fault, pace_per_s=8)  # ~25 s: kills some 6 s apart


def datastore_killed(stack) -> Observed:
    """SIGKILL the datastore (SQLite storage) mid-load; start it again 2 s later on the same port and file."""
    def fault(progress):
        wait_until(lambda: progress() >= BOOKINGS // 3, 120)
        stack.datastore.kill()
        time.sleep(2)
        stack.datastore.start()  # the fault ends once it answers a ping again
        return [f"datastore killed after {progress()} answers, back on port {stack.datastore.port}"]
    return under_fault(stack, BOOKINGS, "store", fault, pace_per_s=3)


def bookings_master_killed(stack) -> Observed:
    """SIGKILL the bookings gunicorn master mid-load; make run's supervisor must bring bookings back."""
    def fault(progress):
        wait_until(lambda: progress() >= BOOKINGS // 3, 120)
        master = lambda: gunicorn_master(stack.marker, "bookings.wsgi:app", stack.proc.pid)  # noqa: E731
        old = master()
        killed, ended = sigkill(old), time.monotonic()
        new = wait_for_pid(master, old, RESTART_LIMIT_S)
        return [f"bookings master pid {old} killed={killed}, restarted as {new}"], ended
    return under_fault(stack, BOOKINGS, "master", fault, pace_per_s=3)
