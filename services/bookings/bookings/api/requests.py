"""Appointment requests: patients ask to be called (public); staff list, read, book or close them.

Every call leaves an audit line, refused ones too: the staff check runs after the audit is set.
"""
from __future__ import annotations

import functools
import logging

from flask import g, request
from flask.views import MethodView
from flask_smorest import Blueprint

from clinic_common.auth import STAFF, require_roles
from clinic_common.errors import NotFound
from clinic_common.idempotency import RESUMED
from clinic_common.web import resource

from bookings import operations
from bookings.api.access import audit
from bookings.api.problems import refusals_as_problems
from bookings.api.replayable import finished
from bookings.api.bookings import IDEMPOTENCY, deps
from bookings.api.request_schemas import (AppointmentRequestBookedSchema, AppointmentRequestBookSchema,
                                          AppointmentRequestCloseSchema, AppointmentRequestCreateSchema,
                                          AppointmentRequestList, AppointmentRequestQuery, AppointmentRequestSchema)
from bookings.domain.booking import new_booking_id
from bookings.domain.requests import (BOOKED_EVENT, CLOSED_EVENT, booked, booking_request, check_catalog, closed,
                                      is_request_id, new_request_id, request_document, require_open)

log = logging.getLogger(__name__)
blp = Blueprint("appointment_requests", __name__, url_prefix="/api/v1/appointment-requests",
                description="Call-me-back requests that staff turn into bookings")
VIEW = AppointmentRequestSchema()  # the created request's body, kept for replays
TARGET, SCOPE = "appointment_request", "POST /appointment-requests"
NOT_MARKED = ("The booking was made, but the request could not be marked booked (it changed meanwhile or the "
              "datastore did not answer); check the request.")


def staff_only(action: str):
    """Audit `action` on the request in the URL, then 401 without a token and 403 for a non-staff role."""

    def decorate(view):
        checked = require_roles(*STAFF)(view)

        @functools.wraps(checked)  # checked's OpenAPI notes: the bearer token it needs
        def wrapper(*args, **kwargs):
            audit(action, TARGET, kwargs.get("appointment_request_id"))  # refused attempts are audited too
            return checked(*args, **kwargs)

        return wrapper

    return decorate


def stored(appointment_request_id: str) -> dict:
    """The stored request; 404 for an unknown or malformed id (a malformed one is never looked up)."""
    found = None
    if is_request_id(appointment_request_id):
        found = resource("appointment_requests").get(appointment_request_id)
    if found is None:
        raise NotFound("No appointment request with that id.")
    return found


@blp.route("")
class AppointmentRequests(MethodView):
    @blp.arguments(AppointmentRequestCreateSchema)
    @blp.response(201, AppointmentRequestSchema)
    @blp.doc(parameters=[IDEMPOTENCY])
    def post(self, body):
        """Ask the practice to call and arrange a visit (public)

        201 with the request; 422 for an unknown visit type or location, or one that does not offer the modality.
        """
        attempt = {"id": new_request_id()}
        audit(f"{TARGET}.create", TARGET, attempt["id"])

        def produce(attempt):
            repo = resource("appointment_requests")
            existing = repo.get(attempt["id"]) if attempt.get(RESUMED) else None  # its first try's outcome is unknown
            if existing is not None:
                return 201, VIEW.dump(existing)
            with refusals_as_problems():  # the idempotency store remembers problems, not refusals
                doc = request_document(body, attempt["id"])
                check_catalog(doc, *resource("catalog").lookup(doc["service_id"], doc["location_ids"]))
            return 201, VIEW.dump(repo.create(doc))

        status, result, replayed = resource("idempotency").run(
            SCOPE, request.headers.get("Idempotency-Key"), request.get_json(), produce, attempt=attempt)
        g.audit.target_ids = [result["id"]]
        return finished(result, status, replayed)

    @staff_only(f"{TARGET}.list")
    @blp.arguments(AppointmentRequestQuery, location="query")
    @blp.response(200, AppointmentRequestList)
    def get(self, query):
        """List appointment requests, oldest first, by status and preferred location (staff)"""
        found = resource("appointment_requests").list(query.get("status"), query.get("location_id"), query["limit"])
        g.audit.target_ids = [doc["_id"] for doc in found]
        return {"appointment_requests": found}


@blp.route("/<appointment_request_id>")
class AppointmentRequestById(MethodView):
    @staff_only(f"{TARGET}.read")
    @blp.response(200, AppointmentRequestSchema)
    def get(self, appointment_request_id):
        """Read one appointment request (staff)"""
        return stored(appointment_request_id)


@blp.route("/<appointment_request_id>/book")
class BookRequest(MethodView):
    @staff_only(f"{TARGET}.book")
    @blp.arguments(AppointmentRequestBookSchema)
    @blp.response(201, AppointmentRequestBookedSchema)
    def post(self, body, appointment_request_id):
        """Book an open request into a slot (staff): every booking rule applies; 409 when taken or no longer open

        The booking is made first, then the request is marked booked. Should marking fail, the
        booking stands (the patient may already have been told) and the answer carries a `warning`.
        """
        current = require_open(stored(appointment_request_id))
        booking_id = new_booking_id()
        booking, token = operations.book(deps(), booking_request(current, body), booking_id)
        g.audit.target_ids.append(booking_id)
        marked, warning = _mark_booked(current, booking_id)
        answer = {"appointment_request": marked, "booking": {**booking, "manage_token": token}}
        return {**answer, "warning": warning} if warning else answer, 201


@blp.route("/<appointment_request_id>/close")
class CloseRequest(MethodView):
    @staff_only(f"{TARGET}.close")
    @blp.arguments(AppointmentRequestCloseSchema)
    @blp.response(200, AppointmentRequestSchema)
    def post(self, body, appointment_request_id):
        """Close an open request without a booking (staff); 409 when it was already booked or closed"""
        stored(appointment_request_id)
        changed = resource("appointment_requests").change(
            appointment_request_id, lambda current: closed(current, body.get("reason")), event_type=CLOSED_EVENT)
        return changed


def _mark_booked(current: dict, booking_id: str) -> tuple[dict, str | None]:
    """(request as stored, warning). A failure here must not undo the booking: cancelling it would send
    the patient a cancellation for a visit staff just arranged; so it is logged (ids only) and reported."""
    repo = resource("appointment_requests")
    try:
        return repo.change(current["_id"], lambda latest: booked(latest, booking_id), event_type=BOOKED_EVENT), None
    except Exception as exc:
        log.error("appointment request not marked booked; the booking stands",
                  extra={"appointment_request_id": current["_id"], "booking_id": booking_id,
                         "error": type(exc).__name__})
    try:
        return repo.get(current["_id"]) or current, NOT_MARKED
    except Exception:
        return current, NOT_MARKED
