"""Browser tests: the booking page in the system's Chromium, driven by Playwright, against the whole stack
started as `make run` starts it (the system tests' `stack` fixture: own ports, in-memory datastore,
own broker namespace). One stack and one browser per module; a fresh context (viewport, language) per test.

Playwright is used with the system's Chromium (`executable_path`), never a browser it downloads itself
(`playwright install` is not part of this project). Without Chromium, or without the playwright
package, the tests skip and say why, before any stack is started.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

from tests.system.conftest import stack  # noqa: F401  (re-exported: the one way a test starts the stack)

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")
SERIOUS = ("serious", "critical")


def chromium_path() -> str | None:
    """CHROMIUM if set, else the Debian package's /usr/bin/chromium, else one on PATH."""
    for candidate in (os.environ.get("CHROMIUM"), *CHROMIUM_CANDIDATES):
        if candidate and (Path(candidate).is_file() or shutil.which(candidate)):
            return shutil.which(candidate) or candidate
    return None


@pytest.fixture(scope="session")
def chromium() -> str:
    path = chromium_path()
    if path is None:
        pytest.skip("Chromium is missing (apt-get install chromium, or set CHROMIUM=/path/to/chromium); "
                    ".ci/run installs it")
    if importlib.util.find_spec("playwright") is None or importlib.util.find_spec("axe_playwright_python") is None:
        pytest.skip("playwright / axe-playwright-python are not installed: run `make install`")
    return path


@pytest.fixture(scope="session")
def browser(chromium):
    """One Chromium for the whole run: Playwright's sync API runs one event loop per thread, so a second
    instance started while another is open (a package's beside a module's) fails; and one launch is cheaper."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, headless=True)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def site(browser, stack):  # noqa: F811  (browser first: a missing Chromium skips before the stack starts)
    return stack


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def check_a11y(axe):
    """check_a11y(page, state): axe-core over the whole page as it is now; no serious or critical violation."""

    def check(page, state: str) -> None:
        results = axe.run(page).response
        bad = [v for v in results["violations"] if v.get("impact") in SERIOUS]
        report = "\n".join(f"{v['id']} ({v['impact']}): {v['help']} at "
                           f"{[node['target'] for node in v['nodes']][:5]}" for v in bad)
        assert not bad, f"axe-core, {state}: {len(bad)} serious/critical violation(s)\n{report}"

    return check


@pytest.fixture
def expected_errors() -> dict:
    """Console errors a test provokes on purpose (name fragment -> message text); none by default."""
    return {}
