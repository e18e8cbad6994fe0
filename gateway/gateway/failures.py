"""What a client is told when a service gives no answer (502, 504), and the same words in the API document.

A request that reached the service may have been carried out even though no answer came back: a
booking may exist although the client saw a 504. The problem says so (`outcome: unknown`) and, for a
write, says to retry with the same Idempotency-Key, which returns the original result instead of
acting twice. Only a request that never left the gateway (the connection was refused or never made)
is known to have changed nothing (`outcome: not-processed`).
"""
from __future__ import annotations

import json

import requests
from flask import Response

from clinic_common.errors import PROBLEM_JSON, problem
from clinic_common.http import never_sent

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
RETRY_WITH_SAME_KEY = ("The outcome is unknown: the service may have made the change. Retry with the same "
                       "Idempotency-Key to get the original result instead of making the change twice.")
NOT_DELIVERED = "The request did not reach it, so nothing was changed; retry shortly."


def upstream_failure(service: str, method: str, exc: requests.RequestException, timed_out: bool) -> Response:
    """The 504 (no answer in time) or 502 (no usable answer) problem, with what is known of the outcome."""
    status, title, slug, what = ((504, "Gateway timeout", "upstream-timeout", f"{service} did not answer in time.")
                                 if timed_out else
                                 (502, "Bad gateway", "upstream-unavailable", f"{service} is unavailable."))
    if never_sent(exc):
        outcome, advice = "not-processed", NOT_DELIVERED
    else:
        outcome = "unknown"
        advice = "Retry shortly." if method in SAFE_METHODS else RETRY_WITH_SAME_KEY
    response = problem(status, title, f"{what} {advice}", slug=slug)
    body = json.loads(response.get_data())
    body["outcome"] = outcome  # an RFC 7807 extension member, so a client need not parse the detail
    response.set_data(json.dumps(body))
    return response


PROBLEM_SCHEMA = {
    "type": "object", "required": ["type", "title", "status", "detail", "outcome"],
    "properties": {
        "type": {"type": "string", "enum": ["/problems/upstream-timeout", "/problems/upstream-unavailable"]},
        "title": {"type": "string"}, "status": {"type": "integer", "enum": [502, 504]},
        "detail": {"type": "string"}, "request_id": {"type": "string"},
        "outcome": {"type": "string", "enum": ["unknown", "not-processed"],
                    "description": "unknown: the service may have acted; not-processed: it never received the request."},
    },
}
OUTCOME_NOTE = ("When `outcome` is `unknown` the service may have made the change: retry a write with the "
                "same Idempotency-Key to get the original result instead of making the change twice. "
                "When it is `not-processed` nothing was changed.")
DOCUMENTED = {"502": "The service gave no usable answer. " + OUTCOME_NOTE,
              "504": "The service did not answer in time. " + OUTCOME_NOTE}


def document_upstream_failures(spec: dict) -> dict:
    """Add the gateway's 502 and 504 to every operation of the merged document, described once."""
    components = spec.setdefault("components", {})
    components.setdefault("schemas", {})["GatewayProblem"] = PROBLEM_SCHEMA
    content = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/GatewayProblem"}}}
    responses = components.setdefault("responses", {})
    for status, description in DOCUMENTED.items():
        responses[f"Gateway{status}"] = {"description": description, "content": content}
    for item in spec.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict) and "responses" in operation:
                for status in DOCUMENTED:
                    operation["responses"].setdefault(status, {"$ref": f"#/components/responses/Gateway{status}"})
    spec.setdefault("info", {})["description"] = (
        "Every route passes through the gateway. A 502 or 504 from it means the service gave no answer. "
        + OUTCOME_NOTE)
    return spec
