"""Combined visits: book therapy and medication management as one trip (public), read or cancel one
(staff, its manage token, or a visit manage link from a message about it). Thin views over
visit_operations.py."""
from __future__ import annotations

from flask import current_app, g, request
from flask.views import MethodView
from flask_smorest import Blueprint

from clinic_common.audit import audited, url_id
from clinic_common.auth import bearer_claims
from clinic_common.errors import NotFound
from clinic_common.idempotency import RESUMED
from clinic_common.web import resource

from bookings import visit_operations
from bookings.api.access import audit, patient_credential_ok
from bookings.api.bookings import IDEMPOTENCY, MANAGE_TOKEN
from bookings.api.lifecycle import LATE, by_patient
from bookings.api.problems import refusals_as_problems
from bookings.api.replayable import finished
from bookings.api.schemas import CancelSchema
from bookings.api.visit_schemas import VisitCreateSchema, VisitCreatedSchema, VisitSchema, with_parts
from bookings.config import change_policy
from bookings.domain.booking import is_booking_id, new_booking_id
from bookings.domain.tokens import hash_token, new_manage_token
from bookings.domain.visits import PENDING, booking_ids
from bookings.visit_housekeeping import settle_visit

blp = Blueprint("visits", __name__, url_prefix="/api/v1/visits", description="Combined therapy and medication-management visits")
CREATED = VisitCreatedSchema()
NO_SUCH_HASH = hash_token("no visit has this token")


def deps() -> visit_operations.VisitDeps:
    return visit_operations.VisitDeps(
        visits=resource("visits"), bookings=resource("bookings"), ledger=resource("ledger"),
        schedules=resource("schedules"), policy=current_app.extensions["booking_policy"],
        clock=current_app.extensions["clock"], change_policy=change_policy(current_app.config["CLINIC_SETTINGS"]))


@blp.route("")
class Visits(MethodView):
    @blp.arguments(VisitCreateSchema)
    @blp.response(201, VisitCreatedSchema)
    @blp.doc(parameters=[IDEMPOTENCY])
    def post(self, body):
        """Book a combined visit: every part or none (public)

        201 with the visit, its bookings and, once only, its manage token; 409 naming the part that
        was just taken (nothing stays booked); 422 when the parts could never be one trip.
        """
        token, _ = new_manage_token()
        attempt = {"visit_id": new_booking_id(), "manage_token": token}
        audit("visit.create", "visit", attempt["visit_id"])

        def produce(attempt):
            with refusals_as_problems():
                visit, parts = _book(deps(), body, attempt)
            return 201, CREATED.dump({**with_parts(visit, parts), "manage_token": attempt["manage_token"]})

        status, result, replayed = resource("idempotency").run(
            "POST /visits", request.headers.get("Idempotency-Key"), request.get_json(), produce, "manage_token",
            attempt)
        g.audit.target_ids = [result["id"], *[b["id"] for b in result["bookings"]]]
        return finished(result, status, replayed)


def _book(deps: visit_operations.VisitDeps, body: dict, attempt: dict):
    """A resumed attempt (its first try's outcome unknown) answers with what that try left, settled now."""
    if attempt.get(RESUMED):
        earlier = deps.visits.get(attempt["visit_id"])
        if earlier is not None and earlier["status"] == PENDING:
            settle_visit(deps.visits, deps.bookings, deps.ledger, earlier)
        answer = visit_operations.existing_answer(deps, attempt["visit_id"])
        if answer is not None:
            return answer
    return visit_operations.book_visit(deps, body, attempt["visit_id"], attempt["manage_token"])


@blp.route("/<visit_id>")
class VisitById(MethodView):
    @blp.response(200, VisitSchema)
    @blp.doc(parameters=[MANAGE_TOKEN])
    def get(self, visit_id):
        """Read a combined visit and its bookings (staff, or the holder of its manage token)"""
        audit("visit.read", "visit", visit_id)
        visit = _visit_for_caller(visit_id)
        parts = resource("bookings").get_many(booking_ids(visit))
        audit("visit.read", "visit", visit_id, *parts)
        return with_parts(visit, list(parts.values()))


def _visit_for_caller(visit_id: str) -> dict:
    """Like access.booking_for_caller: any refusal is the same 404 after the same work."""
    visit = resource("visits").get(visit_id) if is_booking_id(visit_id) else None
    # Only a visit link ("v", minted for this visit id) opens a combined visit.
    token_ok = patient_credential_ok(visit, visit and {"visit_id": visit["_id"], "status": visit["status"]},
                                     NO_SUCH_HASH)
    claims = bearer_claims()
    if visit is None or not ((claims is not None and claims.is_staff) or token_ok):
        raise NotFound("No visit with that id is available to you.")
    return visit


@blp.route("/<visit_id>/cancel")
class Cancel(MethodView):
    @audited("visit.cancel", "visit", url_id("visit_id"))  # outermost: a refused body is an attempt too
    @blp.arguments(CancelSchema)
    @blp.response(200, VisitSchema)
    @blp.alt_response(409, **LATE)
    @blp.doc(parameters=[MANAGE_TOKEN])
    def post(self, body, visit_id):
        """Cancel a combined visit: every part not yet begun; each slot is free at once (staff, or its manage token)

        One part alone cancels through its booking's own cancel, and the other part stays booked.
        409 when no part can be cancelled any more; with the manage token, 409 `/problems/late-change`
        (nothing cancelled) when any part starts inside CANCEL_CUTOFF_HOURS. Staff may still cancel,
        each part recording `late`.
        """
        visit = _visit_for_caller(visit_id)
        g.audit.target_ids = [visit_id, *booking_ids(visit)]
        cancelled, parts = visit_operations.cancel_visit(deps(), visit_id, body.get("reason"), by_patient=by_patient())
        return with_parts(cancelled, parts)
