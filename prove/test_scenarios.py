"""One test per scenario of the proving ground, so each failure is visible on its own.

Not under `make test`'s testpaths: the ten scenarios take longer than its budget together with every other tier,
so `make prove` runs them and CI runs both. Each test starts its own stack and asserts the pass figures (see
runner.py); the report it fails with is the scenario's line, what did not hold, and where the stack's log is.
"""
from __future__ import annotations

import pytest

from prove.conftest import RESULTS
from prove.runner import HEADER, SCENARIOS, run

pytestmark = pytest.mark.timeout(420)  # the slowest scenario takes about two minutes; a hung one fails alone


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_scenario_meets_the_pass_figures(name):
    result = run(name)
    RESULTS.append(result)
    print(f"\n{HEADER}\n{result.report()}")
    assert result.passed, f"\n{HEADER}\n{result.report()}"
