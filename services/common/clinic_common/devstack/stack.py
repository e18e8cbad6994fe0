"""What `make run` starts, on which ports: the three services, their workers, and the gateway last."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass

from clinic_common.devstack.datastore import port_busy
from clinic_common.devstack.processes import ChildSpec

SERVICES = ("locations", "bookings", "notifications")
WORKERS = (("locations-relay", "locations.relay"), ("bookings-relay", "bookings.relay"),
           ("bookings-worker", "bookings.worker"),  # drops bookings' schedule cache on location.* events
           ("notifications-worker", "notifications.worker"),  # consumes, fires reminders, sends
           ("notifications-relay", "notifications.relay"))  # notification.sent / .failed to clinic.events
DEFAULT_PORTS = {"gateway": 8080, "locations": 8081, "bookings": 8082, "notifications": 8083}
GUNICORN_CONF = os.path.join("deploy", "gunicorn.conf.py")


@dataclass(frozen=True)
class Ports:
    gateway: int
    locations: int
    bookings: int
    notifications: int

    @classmethod
    def from_env(cls, env: dict) -> "Ports":
        """GATEWAY_PORT, LOCATIONS_PORT, BOOKINGS_PORT, NOTIFICATIONS_PORT."""
        values = {}
        for name, default in DEFAULT_PORTS.items():
            raw = env.get(f"{name.upper()}_PORT") or default
            try:
                values[name] = int(raw)
            except ValueError:
                raise ValueError(f"{name.upper()}_PORT must be a port number, got {raw!r}") from None
        return cls(**values)

    def by_name(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in DEFAULT_PORTS}

    def busy(self) -> list[str]:
        """Checked up front: a gunicorn that cannot bind would only crash-loop until we gave up."""
        return [f"{port} ({name.upper()}_PORT)" for name, port in self.by_name().items() if port_busy(port)]


def find_repo_root(start: str | None = None) -> str:
    """The checkout this module lives in (editable install), else the working directory."""
    here = os.path.dirname(os.path.abspath(__file__))
    for candidate in (os.path.abspath(os.path.join(here, *[".."] * 4)), start or os.getcwd()):
        if os.path.isfile(os.path.join(candidate, GUNICORN_CONF)):
            return candidate
    raise FileNotFoundError(f"cannot find {GUNICORN_CONF}: run this from the repository root")


def _web(name: str, app: str, port: int, extra_env: dict | None = None) -> ChildSpec:
    argv = (sys.executable, "-m", "gunicorn", "-c", GUNICORN_CONF, app)
    return ChildSpec(name, argv, {"PORT": str(port), **(extra_env or {})})


def stack_children(ports: Ports) -> list[ChildSpec]:
    """Services first, then workers; the gateway last, pointed at the services' ports."""
    children = [_web(name, f"{name}.wsgi:app", getattr(ports, name)) for name in SERVICES]
    children += [ChildSpec(name, (sys.executable, "-m", module)) for name, module in WORKERS]
    upstreams = {f"{name.upper()}_URL": f"http://127.0.0.1:{getattr(ports, name)}" for name in SERVICES}
    children.append(_web("gateway", "gateway.wsgi:app", ports.gateway, upstreams))
    return children
