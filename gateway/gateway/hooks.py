"""Per-request plumbing: the shared request-id and access-log hooks, the body cap before anything reads,
and no-store on every answer that may carry patient data or a manage token."""
from __future__ import annotations

from flask import Flask, Response, request
from werkzeug.exceptions import RequestEntityTooLarge

from clinic_common.errors import PROBLEM_JSON
from clinic_common.web import MAX_BODY_BYTES
from clinic_common.web import install_request_hooks as install_shared_hooks

TOO_LARGE = f"The body may be at most {MAX_BODY_BYTES} bytes."


def install_request_hooks(app: Flask) -> None:
    """The shared request-id and access-log hooks, then the gateway's own body cap."""
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    install_shared_hooks(app)

    @app.before_request
    def _refuse_declared_oversize():
        # Refuse on the declared length before a byte is read; chunked bodies are capped as they are read.
        if (request.content_length or 0) > MAX_BODY_BYTES:
            raise RequestEntityTooLarge(TOO_LARGE)

    app.after_request(_no_store_unless_chosen)


def _no_store_unless_chosen(response: Response) -> Response:
    """Bookings, appointment requests and notifications carry patient data, a created booking its
    manage token, and a problem may quote the request: none of it may rest in a browser or proxy cache.
    The whole API is covered (catalog and availability included: the simplest rule that cannot miss a
    route); a service that set its own Cache-Control made a deliberate choice and keeps it."""
    if "Cache-Control" not in response.headers and (
            request.path.startswith("/api/v1/") or response.mimetype == PROBLEM_JSON):
        response.headers["Cache-Control"] = "no-store"
    return response


def read_body() -> bytes:
    """The request body, refused with 413 past MAX_BODY_BYTES however it arrives.

    A declared length was checked before the view ran. A streamed (chunked) body is counted here,
    from the server's own stream: werkzeug's capped stream silently truncates at the limit instead.
    """
    if request.content_length is not None or "wsgi.input_terminated" not in request.environ:
        return request.get_data(cache=False)
    stream, body = request.environ["wsgi.input"], bytearray()
    while chunk := stream.read(64 * 1024):
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise RequestEntityTooLarge(TOO_LARGE)
    return bytes(body)
