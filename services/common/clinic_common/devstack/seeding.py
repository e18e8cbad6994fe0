"""The demo practice on first start: `python -m locations.seed --if-empty`, once the datastore is up."""
from __future__ import annotations

import importlib.util
import os
import signal
import sys
import time

from clinic_common.devstack.processes import Child, ChildSpec

SEED_MODULE = "locations.seed"
SEED_TIMEOUT_S = 120.0


def seed_available() -> bool:
    """Looks for the module on disk without importing the locations package into the supervisor."""
    try:
        package = importlib.util.find_spec("locations")
    except (ImportError, ValueError):
        return False
    for folder in (package.submodule_search_locations or []) if package else []:
        if os.path.isfile(os.path.join(folder, "seed.py")) or os.path.isdir(os.path.join(folder, "seed")):
            return True
    return False


def run_seed(env: dict, root: str, stopping, timeout_s: float = SEED_TIMEOUT_S) -> bool:
    """True when seeding ran and succeeded; a failed seed is reported, not fatal: the stack still runs."""
    if not seed_available():
        return False
    child = Child(ChildSpec("seed", (sys.executable, "-m", SEED_MODULE, "--if-empty")), env, root)
    child.start()
    deadline = time.monotonic() + timeout_s
    while child.running() and not stopping() and time.monotonic() < deadline:
        time.sleep(0.2)
    if child.running():
        child.signal_group(signal.SIGKILL)
        child.proc.wait()
        if not stopping():
            print(f"Seeding did not finish within {timeout_s:.0f} s; continuing without it.", file=sys.stderr)
        return False
    if child.proc.returncode != 0:
        print(f"Seeding failed (exit code {child.proc.returncode}); continuing — see the log lines above.",
              file=sys.stderr)
        return False
    return True
