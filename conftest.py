"""The root of every test tier: shared fixtures live in testsupport/ (see its modules)."""
from __future__ import annotations

import pytest

pytest_plugins = ("testsupport.infra", "testsupport.apps", "testsupport.events", "testsupport.faults")


def pytest_collection_modifyitems(items):
    """The folder is the tier: tests under integration/ or system/ are marked so `-m` can pick them."""
    for item in items:
        parts = item.path.parts
        if "integration" in parts or "system" in parts:
            item.add_marker(pytest.mark.integration)
        if "system" in parts:
            item.add_marker(pytest.mark.system)
