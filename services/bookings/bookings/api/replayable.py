"""Answers of creating POSTs under an Idempotency-Key.

The body is serialized once, by the route's own response schema, when the work is done: that body
is what the idempotency store keeps for replays. The view then hands it back as a finished
response, so flask-smorest does not dump it a second time (the route's schema still documents it).
"""
from __future__ import annotations

from flask import Response, current_app


def finished(body: dict, status: int, replayed: bool) -> Response:
    response = current_app.json.response(body)
    response.status_code = status
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response
