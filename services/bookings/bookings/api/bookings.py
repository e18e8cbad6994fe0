"""Booking routes: thin views that parse, call operations.py, and serialize."""
from __future__ import annotations

from datetime import datetime

from flask import current_app, g, request
from flask.views import MethodView
from flask_smorest import Blueprint

from clinic_common.audit import audited
from clinic_common.auth import STAFF, bearer_claims, require_roles
from clinic_common.errors import NotFound, Unauthorized
from clinic_common.http import timeout_from
from clinic_common.idempotency import RESUMED
from clinic_common.web import resource

from bookings import disruption_operations, hold_operations, operations
from bookings.adapters.clinic_standing import ClinicStanding
from bookings.api.access import audit, booking_for_caller
from bookings.api.disruption_preview_schemas import DisruptionPreviewResultSchema
from bookings.api.disruption_schemas import DisruptionPreviewSchema, DisruptionScanResultSchema, DisruptionScanSchema
from bookings.api.problems import refusals_as_problems
from bookings.api.hold_schemas import BookingWithHoldCreateSchema
from bookings.api.replayable import finished
from bookings.api.schemas import BookingCreatedSchema, BookingList, BookingQuery, BookingSchema
from bookings.domain.booking import new_booking_id
from bookings.domain.disruption import DayRule
from bookings.domain.tokens import new_manage_token

blp = Blueprint("bookings", __name__, url_prefix="/api/v1/bookings", description="Book, view and manage appointments")
CREATED = BookingCreatedSchema()
IDEMPOTENCY = {"in": "header", "name": "Idempotency-Key", "schema": {"type": "string"}, "required": False}
MANAGE_TOKEN = {"in": "header", "name": "X-Manage-Token", "schema": {"type": "string"}, "required": False}
HOLD_TOKEN = {"in": "header", "name": "X-Hold-Token", "schema": {"type": "string"}, "required": False}


def deps() -> operations.Deps:
    return operations.Deps(bookings=resource("bookings"), ledger=resource("ledger"), schedules=resource("schedules"),
                           policy=current_app.extensions["booking_policy"], clock=current_app.extensions["clock"],
                           telehealth_locations=_telehealth_locations)


def _telehealth_locations() -> list[str]:
    """Asked afresh (a rare question: a visit moved to telehealth), through the disruption scan's adapter."""
    settings = current_app.config["CLINIC_SETTINGS"]
    standing = ClinicStanding(settings.service_urls["locations"], timeout_from(settings))
    try:
        return standing.telehealth_locations()
    finally:
        standing.close()


def created_answer(stored: dict, token: str) -> dict:
    """The 201's body: the booking and its manage token, shown once (replays unseal the same token)."""
    return CREATED.dump({**stored, "manage_token": token})


@blp.route("")
class Bookings(MethodView):
    @blp.arguments(BookingWithHoldCreateSchema)
    @blp.response(201, BookingCreatedSchema)
    @blp.doc(parameters=[IDEMPOTENCY, HOLD_TOKEN])
    def post(self, body):
        """Book an appointment (public)

        201 with the booking and, once only, its manage token; 409 when the slot was just taken;
        422 when it never was bookable. With `hold_id` and its X-Hold-Token: exactly the held slot
        (422 for another slot, 404 for a wrong token, 409 when the hold ran out).
        """
        token, _ = new_manage_token()
        attempt = {"booking_id": new_booking_id(), "manage_token": token}
        audit("booking.create", "booking", attempt["booking_id"])

        def produce(attempt):
            with refusals_as_problems():  # the idempotency store remembers problems, not refusals
                if body.get("hold_id"):
                    stored, token = _book_held(body, attempt)
                else:
                    stored, token = operations.book(deps(), body, attempt["booking_id"], attempt["manage_token"],
                                                    resumed=attempt.get(RESUMED, False))
            return 201, created_answer(stored, token)

        status, result, replayed = resource("idempotency").run(
            "POST /bookings", request.headers.get("Idempotency-Key"), request.get_json(), produce, "manage_token",
            attempt)
        g.audit.target_ids = [result["id"]]
        return finished(result, status, replayed)

    @audited("booking.list", "booking")  # outermost: a refused list is audited too
    @blp.arguments(BookingQuery, location="query")
    @blp.response(200, BookingList)
    def get(self, query):
        """List bookings (staff: any; clinicians: their own)"""
        claims = bearer_claims()
        if claims is None:
            raise Unauthorized("This route needs a bearer token.")
        if not claims.is_staff:
            query["provider_id"] = claims.provider_id  # a clinician sees their own bookings only
        filters = {"location_id": query.get("location_id"), "provider_id": query.get("provider_id"),
                   "status": query.get("status"), "from": query.get("from_"), "to": query.get("to"),
                   "disrupted": query.get("disrupted")}
        found = resource("bookings").find(filters, query["limit"])
        audit("booking.list", "booking", *[b["_id"] for b in found])
        return {"bookings": found}


def _book_held(body: dict, attempt: dict) -> tuple[dict, str]:
    from bookings.api.holds import hold_deps  # holds' routes import this module

    held_deps = hold_deps()
    resumed = attempt.get(RESUMED, False)
    if resumed and (existing := held_deps.booking.bookings.get(attempt["booking_id"])) is not None:
        return existing, attempt["manage_token"]
    held = hold_operations.held_for_booking(held_deps, body["hold_id"], request.headers.get("X-Hold-Token"), body)
    return hold_operations.book_held(held_deps, held, body, attempt["booking_id"], attempt["manage_token"],
                                     resumed=resumed)


@blp.route("/<booking_id>")
class BookingById(MethodView):
    @blp.response(200, BookingSchema)
    @blp.doc(parameters=[MANAGE_TOKEN])
    def get(self, booking_id):
        """Read one booking (staff, its clinician, or the holder of its manage token)"""
        audit("booking.read", "booking", booking_id)
        return booking_for_caller(booking_id)


@blp.route("/disruptions/scan")
class DisruptionScan(MethodView):
    @audited("booking.disruption_scan", "booking")
    @require_roles(*STAFF)
    @blp.arguments(DisruptionScanSchema)
    @blp.response(200, DisruptionScanResultSchema)
    def post(self, body):
        """Re-judge the bookings ahead at a location and/or with a provider against today's schedule (staff)

        Locations calls it right after a staff schedule write, to say in its answer how many bookings
        the write disrupted; the bookings worker does the same on the change's event (README: Disruptions).
        """
        deps = _disruption_deps()
        try:
            result = disruption_operations.scan(deps, body["location_id"], body["provider_id"], body["since"])
        finally:
            deps.standing.close()
        audit("booking.disruption_scan", "booking", *result.disrupted, *result.cleared)
        return {"disrupted_bookings": result.by_this_change, "cleared_bookings": len(result.cleared),
                "still_disrupted": result.still}


@blp.route("/disruptions/preview")
class DisruptionPreview(MethodView):
    @audited("booking.disruption_preview", "booking")
    @require_roles(*STAFF)
    @blp.arguments(DisruptionPreviewSchema)
    @blp.response(200, DisruptionPreviewResultSchema)
    def post(self, body):
        """Which active bookings a closure or special hours would disrupt, before saving it (staff; writes nothing)

        `closure` is the body POST /locations/{id}/closures would take. The same rule as the scan judges
        each booking ahead at the location against today's schedule with the proposed rule added.
        """
        proposed = body["closure"]
        rule = DayRule(proposed["from_"], proposed["to"], _intervals(proposed["intervals"]), proposed["reason"])
        deps = _disruption_deps()
        try:
            if not deps.standing.location_known(body["location_id"]):
                raise NotFound("No location with that id.")
            found = disruption_operations.preview(deps, body["location_id"], rule, frozenset(proposed["provider_ids"]))
        finally:
            deps.standing.close()
        audit("booking.disruption_preview", "booking", *[b["_id"] for b, _ in found])
        return {"disrupted_bookings": len(found),
                "bookings": [{"booking": b, "reason": f.reason, "detail": f.detail} for b, f in found]}


def _disruption_deps() -> disruption_operations.DisruptionDeps:
    settings = current_app.config["CLINIC_SETTINGS"]
    return disruption_operations.DisruptionDeps(
        bookings=resource("bookings"), ledger=resource("ledger"), clock=current_app.extensions["clock"],
        standing=ClinicStanding(settings.service_urls["locations"], timeout_from(settings)),
        horizon=disruption_operations.scan_horizon(settings))


def _intervals(raw) -> tuple | None:
    if raw is None:
        return None
    wall = lambda hhmm: datetime.strptime(hhmm, "%H:%M").time()  # noqa: E731
    return tuple((wall(i["open"]), wall(i["close"])) for i in raw)
