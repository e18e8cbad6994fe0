"""The proving ground's table at the end of a pytest run: the same lines `python -m prove` prints."""
from __future__ import annotations

RESULTS: list = []  # filled by test_scenarios.py, one Result per scenario that ran


def pytest_terminal_summary(terminalreporter):
    if not RESULTS:
        return
    from prove.runner import HEADER

    terminalreporter.section("proving ground")
    terminalreporter.write_line(HEADER)
    for result in RESULTS:
        terminalreporter.write_line(result.line() + ("" if result.passed else "   FAIL"))
