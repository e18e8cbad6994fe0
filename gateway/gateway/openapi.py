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
PROBLEM_JSON = "application/problem+json"
DESCRIPTION = (
    "Public routes (locations, hours, visit types, providers, availability; creating a booking, hold, waitlist "
    "entry or appointment request) need no credential. Staff, clinicians and admins send "
    "`Authorization: Bearer <JWT>` (HS256, claims sub, role, provider_id, exp). A patient acts on one booking "
    "with `X-Manage-Token`: the booking's manage_token (shown once, in the 201) or the credential of the manage "
    "link in every email; wrong, expired, revoked and other bookings' tokens all get the same 404. Holds use "
    "`X-Hold-Token`, waitlist offers `X-Offer-Token`. Every error is application/problem+json (RFC 7807: type, "
    "title, status, detail, request_id, errors for validation). Creating POSTs take an Idempotency-Key.")
# Headers a patient proves itself with, described once for every route that takes them.
PATIENT_SCHEMES = {
    "manageToken": {"type": "apiKey", "in": "header", "name": "X-Manage-Token",
                    "description": "A booking's manage token (201, shown once) or its manage link's credential"},
}
# Answers a route gives that its service's document does not list (the docstring says them).
KNOWN_ANSWERS = {
    ("/api/v1/bookings", "post"): {"409": "The time was just taken (or its hold ran out): pick another from "
                                          "availability. Problem type /problems/conflict"},
}
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
    return document_conventions(document_upstream_failures(merged))


def document_conventions(spec: dict) -> dict:
    """What holds across services, said once in the merged document: how callers authenticate, the error
    format, and answers a route gives that its service's document leaves out (409 on booking creation)."""
    said = spec["info"].get("description")
    spec["info"]["description"] = f"{DESCRIPTION}\n\n{said}" if said else DESCRIPTION
    schemes = spec.setdefault("components", {}).setdefault("securitySchemes", {})
    for name, scheme in PATIENT_SCHEMES.items():
        schemes.setdefault(name, scheme)
    problem = next((f"{REF_PREFIX}schemas/{name}" for name in ("Problem", "ProblemSchema")
                    if name in spec["components"].get("schemas", {})), None)
    for (path, method), answers in KNOWN_ANSWERS.items():
        operation = spec["paths"].get(path, {}).get(method)
        if not isinstance(operation, dict):
            continue
        responses = operation.setdefault("responses", {})
        for status, description in answers.items():
            if status not in responses:
                schema = {"$ref": problem} if problem else {"type": "object"}
                responses[status] = {"description": description, "content": {PROBLEM_JSON: {"schema": schema}}}
    return spec


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
