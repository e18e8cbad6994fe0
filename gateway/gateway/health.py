"""GET /health: one verdict for the whole stack, built from every service's own /health.

Shared infrastructure (mongo, rabbitmq) is down when any service says so; each service is ok
only when it answered 200; each worker is reported by the service that watches its heartbeat.
Under `make run` the supervisor also names the processes that keep crashing, in the file that
DEVSTACK_STATUS_FILE points at (clinic_common.devstack.status); elsewhere the variable is unset
and the orchestrator watches the processes.
"""
from __future__ import annotations

import os

from flask import Flask, g, jsonify

from clinic_common.devstack.status import STATUS_FILE_VAR, failing_components
from clinic_common.http import SessionPool
from gateway.upstream import Probe, probe_all

SHARED = ("mongo", "rabbitmq")


def _down(detail: str) -> dict:
    return {"status": "down", "detail": detail}


def service_component(probe: Probe) -> dict:
    if probe.status == 200:
        return {"status": "ok"}
    if probe.error in ("unreachable", "timeout"):
        return _down(probe.error)
    if probe.status == 503:
        return _down("reports down")
    return _down(f"answered HTTP {probe.status}" if probe.status else probe.error)


def _reported(probe: Probe) -> dict[str, dict]:
    """The components a service listed, normalised to ok | down (anything unexpected is down)."""
    listed = probe.body.get("components") if isinstance(probe.body, dict) else None
    if not isinstance(listed, dict):
        return {}
    out = {}
    for name, component in listed.items():
        if not isinstance(component, dict):
            continue
        entry = {"status": "ok" if component.get("status") == "ok" else "down"}
        if isinstance(component.get("detail"), str) and component["detail"]:
            entry["detail"] = component["detail"]
        out[str(name)] = entry
    return out


def _merge(into: dict[str, dict], name: str, entry: dict) -> None:
    current = into.get(name)
    if current is None or (current["status"] == "ok" and entry["status"] != "ok"):
        into[name] = entry  # the first report of trouble wins, with its detail


def aggregate(probes: dict[str, Probe], supervised: dict[str, dict] | None = None) -> tuple[dict, int]:
    """`supervised`: down components from the supervisor's status file, which outrank a service's word:
    a worker's heartbeat looks fresh for a while after it died, and a crashed service may answer again."""
    reported: dict[str, dict] = {}
    for probe in probes.values():
        for name, entry in _reported(probe).items():
            _merge(reported, name, entry)
    components = {name: reported.pop(name, None) or _down("not reported by any service") for name in SHARED}
    for name, probe in probes.items():
        components[name] = service_component(probe)
        reported.pop(name, None)  # a service's own verdict is the one above, not a namesake's
    components.update(sorted(reported.items()))
    components.update(supervised or {})
    failing = [name for name, entry in components.items() if entry["status"] != "ok"]
    body = {"status": "down" if failing else "ok", "components": components}
    if failing:
        body["failing"] = failing
    return body, (503 if failing else 200)


def register_health(app: Flask, pool: SessionPool, timeout_s: float, limiter) -> None:
    settings = app.config["CLINIC_SETTINGS"]
    status_file = os.environ.get(STATUS_FILE_VAR)  # set only by `make run`'s supervisor

    @limiter.exempt  # orchestrators probe it often; a 429 would read as an outage
    def health():
        probes = probe_all(pool, settings.service_urls, "/health", (timeout_s, timeout_s), g.request_id)
        body, status = aggregate(probes, failing_components(status_file) if status_file else None)
        response = jsonify(body)
        response.status_code = status
        response.headers["Cache-Control"] = "no-store"
        return response

    app.add_url_rule("/health", "health", health, methods=["GET"])
