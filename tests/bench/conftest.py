"""`bench` is a top-level package run as `python -m bench` from the repository root, not an installed one:
put the root on sys.path so `pytest` finds it however it is started (`python -m pytest` already does)."""
import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[2])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
