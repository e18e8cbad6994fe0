"""RFC 7807 problem details: the one error shape of every service and the gateway."""
from __future__ import annotations

import json
import logging

from flask import Flask, Response
from pymongo.errors import ConnectionFailure
from werkzeug.exceptions import HTTPException

from clinic_common.logs import current_request_id, log_failure

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"


class DomainError(Exception):
    """A refusal the client can act on. Subclasses fix the status and problem type."""

    status = 400
    slug = "bad-request"
    title = "Bad request"

    def __init__(self, detail: str, errors: dict | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors


class NotFound(DomainError):
    status, slug, title = 404, "not-found", "Not found"


class Conflict(DomainError):
    status, slug, title = 409, "conflict", "Conflict"


class Unprocessable(DomainError):
    status, slug, title = 422, "validation", "Unprocessable request"


class Unauthorized(DomainError):
    status, slug, title = 401, "unauthorized", "Unauthorized"


class Forbidden(DomainError):
    status, slug, title = 403, "forbidden", "Forbidden"


class MalformedRequest(DomainError):
    status, slug, title = 400, "malformed-request", "Bad request"


class Unavailable(DomainError):
    """A service the request needs did not answer: nothing was decided, a retry may succeed."""
    status, slug, title = 503, "unavailable", "Service unavailable"


def problem(status: int, title: str, detail: str = "", *, slug: str | None = None,
            errors: dict | None = None, headers: dict | None = None) -> Response:
    body = {
        "type": f"/problems/{slug}" if slug else "about:blank",
        "title": title,
        "status": status,
        "detail": detail or title,
    }
    if errors:
        body["errors"] = errors
    request_id = current_request_id()
    if request_id:
        body["request_id"] = request_id
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _webargs_errors(exc: HTTPException) -> dict | None:
    """flask-smorest hangs marshmallow's messages on the exception as data['messages']."""
    messages = getattr(exc, "data", {}).get("messages") if hasattr(exc, "data") else None
    if not messages:
        return None
    # webargs nests by location ({"json": {...}}); clients want field -> messages.
    flat = {}
    for location_errors in messages.values():
        if isinstance(location_errors, dict):
            flat.update(location_errors)
    return flat or None


def _from_http_exception(exc: HTTPException) -> Response:
    status = exc.code or 500
    if status == 422:
        return problem(422, "Unprocessable request", "The request does not match the schema.",
                       slug="validation", errors=_webargs_errors(exc))
    if status == 400:
        detail = "The request body is not valid JSON." if _is_json_error(exc) else (exc.description or "")
        return problem(400, "Bad request", detail, slug="malformed-request")
    headers = {"Allow": ", ".join(exc.valid_methods)} if getattr(exc, "valid_methods", None) else None
    return problem(status, exc.name, exc.description or exc.name, headers=headers)


def _is_json_error(exc: HTTPException) -> bool:
    messages = getattr(exc, "data", {}).get("messages", {}) if hasattr(exc, "data") else {}
    return "json" in messages or "JSON" in (exc.description or "")


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain(exc: DomainError):
        return problem(exc.status, exc.title, exc.detail, slug=exc.slug, errors=exc.errors)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        return _from_http_exception(exc)

    @app.errorhandler(ConnectionFailure)
    def _datastore_down(exc: ConnectionFailure):
        log.error("datastore unavailable (%s)", type(exc).__name__)
        return problem(503, "Service unavailable", "The datastore is not answering; try again shortly.",
                       slug="unavailable", headers={"Retry-After": "5"})

    @app.errorhandler(OverflowError)
    def _out_of_range(exc: OverflowError):
        # A safety net: a date or number past what datetime or BSON can hold came from the request
        # (edges validate what they know; see clinic_common.limits). Loud, so the missing check gets added.
        log_failure(log, "input out of range reached the code", exc)
        return problem(422, "Unprocessable request", "A date or number in the request is out of the supported range.",
                       slug="out-of-range")

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log_failure(log, "unhandled error", exc)
        return problem(500, "Internal server error", "Something went wrong on our side; the request id helps us find it.")
