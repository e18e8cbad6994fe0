"""Watches the gateway's /health while the stack comes up and says, in plain lines, what it is waiting for."""
from __future__ import annotations

import sys
import threading
import time

import requests

REPORT_EVERY_S = 10.0


def banner(base_url: str) -> str:
    return (f"Clinic scheduling is running at {base_url}  (API docs: /api/docs, health: /health)"
            " — Ctrl-C stops everything")


def health_status(base_url: str, timeout_s: float = 3.0) -> tuple[bool, str]:
    """(ready, what is still down): a sentence fit for a terminal, naming components, never their data."""
    try:
        response = requests.get(f"{base_url}/health", timeout=timeout_s)
    except requests.RequestException:
        return False, "the gateway is not answering yet"
    if response.status_code == 200:
        return True, ""
    try:
        components = response.json().get("components") or {}
        down = sorted(name for name, c in components.items() if (c or {}).get("status") != "ok")
    except (ValueError, AttributeError):
        down = []
    if down:
        return False, "still down: " + ", ".join(down)
    return False, f"the gateway answers /health with {response.status_code}"


class HealthWatcher:
    """A thread: polls /health until it answers 200, then prints the banner once."""

    def __init__(self, base_url: str, timeout_s: float = 120.0, out=None, poll_s: float = 1.0):
        self.base_url, self.timeout_s, self.out, self.poll_s = base_url, timeout_s, out, poll_s
        self.ready = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="health-watcher", daemon=True)

    def start(self) -> "HealthWatcher":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _say(self, line: str) -> None:
        print(line, file=self.out or sys.stdout, flush=True)

    def _run(self) -> None:
        started = time.monotonic()
        next_report = started + REPORT_EVERY_S
        warned = False
        while not self._stop.is_set():
            ok, waiting_for = health_status(self.base_url)
            if ok:
                self.ready.set()
                self._say(banner(self.base_url))
                return
            now = time.monotonic()
            if not warned and now - started > self.timeout_s:
                warned = True  # keep running: the log lines above say why, and it may still come up
                self._say(f"The stack is not healthy after {self.timeout_s:.0f} s ({waiting_for}); "
                          "it keeps running — see the log lines above.")
            elif not warned and now >= next_report:
                next_report = now + REPORT_EVERY_S
                self._say(f"Starting ({now - started:.0f} s): {waiting_for}")
            self._stop.wait(self.poll_s)
