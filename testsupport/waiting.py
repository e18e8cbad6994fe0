"""Waiting for something that happens in another thread or process, without sleeping a fixed time."""
from __future__ import annotations

import time


def wait_for(predicate, timeout_s: float = 10.0, every_s: float = 0.05) -> bool:
    """True as soon as `predicate()` is; False if it still is not after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every_s)
    return bool(predicate())
