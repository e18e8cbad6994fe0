"""A synthetic practice on the stack's datastore under its own database prefix, served in this process.

Locations is served over real HTTP by werkzeug's threaded server (bookings reaches it by LOCATIONS_URL,
as in the stack); bookings is driven through its Flask test client. Both apps read the stack's
datastore, but only databases named <prefix>_*, so the stack's own data is never read or touched.
"""
from __future__ import annotations

import threading
import uuid

from pymongo import MongoClient
from werkzeug.serving import make_server


class ServedApp:
    """A Flask app on 127.0.0.1, on a port the kernel picks."""

    def __init__(self, app):
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="bench-served-app", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class SyntheticPractice:
    """bench.synthetic.build_practice(providers) in <prefix>_locations, and apps reading it."""

    def __init__(self, stack, providers: int):
        from bench.synthetic import build_practice

        self.providers = providers
        self.prefix = f"{stack.prefix}p{providers}x{uuid.uuid4().hex[:6]}"
        # WARNING: the apps' INFO access lines would land in the middle of the figures.
        self.env = {"CLINIC_ENV": "development", "JWT_SECRET": stack.env["JWT_SECRET"], "MONGO_URL": stack.mongo_url,
                    "AMQP_URL": stack.env.get("AMQP_URL", ""), "MONGO_DB_PREFIX": self.prefix, "LOG_LEVEL": "WARNING"}
        client = MongoClient(stack.mongo_url, tz_aware=True)
        try:
            build_practice(client[f"{self.prefix}_locations"], providers)
        finally:
            client.close()
        self._apps, self._served = [], []

    def locations_app(self):
        from locations import create_app

        self._apps.append(create_app(dict(self.env)))
        return self._apps[-1]

    def served_locations(self) -> ServedApp:
        self._served.append(ServedApp(self.locations_app()))
        return self._served[-1]

    def bookings_app(self, locations_url: str):
        from bookings import create_app

        self._apps.append(create_app({**self.env, "LOCATIONS_URL": locations_url}))
        return self._apps[-1]

    def close(self) -> None:
        for served in self._served:
            served.stop()
        for app in self._apps:
            app.extensions["clinic"].close()

    def __enter__(self) -> "SyntheticPractice":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()
