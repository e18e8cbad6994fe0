"""The staff app's browser tests share one stack (as `make run` starts it, its gateway pointed at a real OpenID
Connect provider, oidc-provider-mock in a thread of this process) for the whole package: each screen's test
module adds minutes of startup otherwise. Chromium is the run's one (tests/browser/conftest.py); a fresh
browser context per test."""
from __future__ import annotations

import subprocess
import sys
import uuid

import pytest
from pymongo import MongoClient

from clinic_common.devstack.datastore import free_port
from tests.browser.staff.staff_support import CLIENT_ID, DESK, DESKTOP
from tests.system.conftest import Stack, stack_env, wait_until_healthy


@pytest.fixture(scope="package")
def provider_url():
    from oidc_provider_mock import User, run_server_in_thread

    desk = User(sub=DESK["sub"], claims={k: v for k, v in DESK.items() if k != "sub"})
    with run_server_in_thread(user_claims=[desk]) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="package")
def smtp():
    """Where the stack's mail goes (a real SMTP server): delivery logs then say `sent`, as at a clinic."""
    from testsupport.notifications import SmtpSink

    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture(scope="package")
def site(browser, provider_url, amqp_url, tmp_path_factory, smtp):
    """The stack as the system tests start it, its gateway pointed at the mock provider and its mail at the
    package's SMTP sink; the datastore's address is kept to place visits on today's schedule and to read the
    audit trail."""
    ports = {name: free_port() for name in ("GATEWAY", "LOCATIONS", "BOOKINGS", "NOTIFICATIONS", "DEV_MONGO")}
    secret, marker = "staff-app-test-secret-" + uuid.uuid4().hex, uuid.uuid4().hex
    env = {**stack_env(amqp_url, secret, marker, ports), "OIDC_ISSUER": provider_url, "OIDC_CLIENT_ID": CLIENT_ID,
           "OIDC_CLIENT_SECRET": "staff-app-secret", **smtp.env(),
           # Every page and API call of the whole package comes from 127.0.0.1: a clinic's many desks as one
           # client. The default 600 a minute (each sign-in loads some thirty modules) ran out mid-package.
           "RATE_LIMIT_DEFAULT": "20000/minute", "RATE_LIMIT_WRITES": "2000/minute"}
    log_path = tmp_path_factory.mktemp("staff-stack") / "stack.log"
    from clinic_common.devstack.markers import kill_by_marker
    from tests.system.conftest import REPO_ROOT

    with open(log_path, "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "clinic_common.devstack.run"], cwd=REPO_ROOT, env=env,
                                stdout=log, stderr=subprocess.STDOUT)
    running = Stack(f"http://127.0.0.1:{ports['GATEWAY']}", secret, marker, proc, log_path, env["AMQP_NAMESPACE"])
    running.mongo = MongoClient(f"mongodb://127.0.0.1:{ports['DEV_MONGO']}/", tz_aware=True)
    running.bookings_db = f"{env['MONGO_DB_PREFIX']}_bookings"
    running.env = env
    try:
        wait_until_healthy(running)
        yield running
    finally:
        running.mongo.close()
        if running.stop() is None:
            proc.kill()
            proc.wait()
        kill_by_marker(marker)


@pytest.fixture
def context(browser, site):
    made = browser.new_context(base_url=site.base_url, viewport=DESKTOP, locale="en-US")
    made.set_default_timeout(15_000)
    errors: list[str] = []
    ours = lambda message: message.location.get("url", "").startswith(site.base_url)  # not the provider's pages
    made.on("console", lambda message: errors.append(message.text) if message.type == "error" and ours(message) else None)
    made.on("weberror", lambda error: errors.append(str(error.error)))
    yield made
    made.close()
    # A refused call (401, 403, 404) is logged by Chromium as a failed resource load: those are expected.
    unexpected = [e for e in errors if "Failed to load resource" not in e]
    assert not unexpected, f"the page logged errors (a CSP refusal is one): {unexpected}"
