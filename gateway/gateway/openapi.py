"""One OpenAPI 3 document for the whole API, merged from every service's /openapi.json, and its web page."""
from __future__ import annotations

import json
import threading
import time
from importlib.resources import files

from flask import Flask, Response, g, jsonify

from clinic_common.http import SessionPool, timeout_from
from gateway.failures import document_upstream_failures
from gateway.upstream import Probe, probe_all

REF_PREFIX = "#/components/"
PARTIAL_CACHE_S = 5.0  # a spec with a service missing is kept briefly, so the gap heals quickly


def _usable(probe: Probe) -> bool:
    return probe.status == 200 and isinstance(probe.body, dict) and isinstance(probe.body.get("paths"), dict)


def _conflicts(specs: dict[str, dict]) -> set[tuple[str, str]]:
    """(section, name) pairs that two services define with different bodies."""
    bodies: dict[tuple[str, str], set[str]] = {}
    for spec in specs.values():
        for section, entries in (spec.get("components") or {}).items():
            for name, body in (entries or {}).items():
                bodies.setdefault((section, name), set()).add(json.dumps(body, sort_keys=True))
    return {key for key, variants in bodies.items() if len(variants) > 1}


def _rewrite_refs(node, renames: dict[str, str]):
    if isinstance(node, dict):
        return {key: (renames.get(value, value) if key == "$ref" and isinstance(value, str)
                      else _rewrite_refs(value, renames)) for key, value in node.items()}
    if isinstance(node, list):
        return [_rewrite_refs(item, renames) for item in node]
    return node


def _prefix_conflicting(service: str, spec: dict, conflicts: set[tuple[str, str]]) -> dict:
    """Rename this service's copy of each conflicting component to <service>_<name>, refs included."""
    renames = {}
    for section, entries in (spec.get("components") or {}).items():
        for name in entries or {}:
            if (section, name) in conflicts:
                renames[f"{REF_PREFIX}{section}/{name}"] = f"{REF_PREFIX}{section}/{service}_{name}"
    spec = _rewrite_refs(spec, renames)  # a copy: the probe's body stays as the service sent it
    for section, entries in (spec.get("components") or {}).items():
        spec["components"][section] = {
            (f"{service}_{name}" if (section, name) in conflicts else name): body
            for name, body in (entries or {}).items()
        }
    return spec


def merge_specs(probes: dict[str, Probe]) -> dict:
    specs = {name: probe.body for name, probe in probes.items() if _usable(probe)}
    conflicts = _conflicts(specs)
    merged = {"openapi": "3.0.3",
              "info": {"title": "Clinic scheduling API", "version": "1.0.0"},
              "servers": [{"url": "/"}], "tags": [], "paths": {}, "components": {}}
    for service, spec in specs.items():
        spec = _prefix_conflicting(service, spec, conflicts)
        for path, item in spec["paths"].items():
            merged["paths"].setdefault(path, {}).update(item)
        for section, entries in (spec.get("components") or {}).items():
            merged["components"].setdefault(section, {}).update(entries or {})
        known = {tag.get("name") for tag in merged["tags"]}
        merged["tags"] += [tag for tag in spec.get("tags") or [] if tag.get("name") not in known]
    missing = [name for name in probes if name not in specs]
    if missing:
        merged["x-missing-services"] = missing
    return document_upstream_failures(merged)


class SpecCache:
    """The merged document for `ttl_s`; one request rebuilds it while the others wait for the result."""

    def __init__(self, build, ttl_s: float):
        self._build, self._ttl_s = build, ttl_s
        self._spec, self._expires = None, 0.0
        self._lock = threading.Lock()

    def get(self) -> dict:
        with self._lock:
            if self._spec is None or time.monotonic() >= self._expires:
                self._spec = self._build()
                ttl = self._ttl_s if "x-missing-services" not in self._spec else min(self._ttl_s, PARTIAL_CACHE_S)
                self._expires = time.monotonic() + ttl
            return self._spec


def register_openapi(app: Flask, pool: SessionPool, cache_s: float) -> None:
    settings = app.config["CLINIC_SETTINGS"]
    timeout = timeout_from(settings)

    def build() -> dict:
        return merge_specs(probe_all(pool, settings.service_urls, "/openapi.json", timeout, g.request_id))

    cache = SpecCache(build, cache_s)
    page = files("gateway").joinpath("web", "docs.html").read_bytes()  # read once, at app creation

    def openapi():
        return jsonify(cache.get())

    def docs():
        response = Response(page, mimetype="text/html")
        # The page is self-contained: its own inline script and style, and fetches from here only.
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'")
        return response

    app.add_url_rule("/api/v1/openapi.json", "openapi", openapi, methods=["GET"])
    app.add_url_rule("/api/docs", "docs", docs, methods=["GET"])
