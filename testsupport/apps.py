"""Services under test: apps on the test's environment, served over real HTTP, and tokens."""
from __future__ import annotations

import pytest


@pytest.fixture
def staff(settings) -> dict:
    """Headers of a front-desk staff member."""
    from clinic_common.auth import issue_token

    return {"Authorization": "Bearer " + issue_token(settings.jwt_secret, "front-desk", "staff")}


@pytest.fixture
def clinician(settings):
    """clinician(provider_id) -> headers of that provider's clinician token."""
    from clinic_common.auth import issue_token

    def make(provider_id: str) -> dict:
        return {"Authorization": "Bearer " + issue_token(settings.jwt_secret, "dr", "clinician", provider_id=provider_id)}

    return make


@pytest.fixture
def make_app(test_env):
    """Build a service's app on the test's environment; its clients are closed afterwards."""
    apps = []

    def make(create_app, deps=None, **overrides):
        apps.append(create_app({**test_env, **overrides}, deps))
        return apps[-1]

    yield make
    for app in apps:
        app.extensions["clinic"].close()


class ServedApp:
    """A Flask app on a real threaded HTTP server on 127.0.0.1, for calls between services."""

    def __init__(self, app):
        import threading

        from werkzeug.serving import make_server

        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@pytest.fixture
def serve():
    served = []

    def start(app) -> ServedApp:
        served.append(ServedApp(app))
        return served[-1]

    yield start
    for server in served:
        server.stop()


@pytest.fixture
def live_locations(settings, make_app, serve):
    """The locations service with the demo practice, over HTTP: its URL."""
    import io

    from pymongo import MongoClient

    from locations import create_app
    from locations.seed import seed

    client = MongoClient(settings.mongo_url, tz_aware=True)
    seed(client[settings.db_name("locations")], out=io.StringIO())
    client.close()
    return serve(make_app(create_app)).url
