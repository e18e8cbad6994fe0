"""Changing a booking: cancel and reschedule (patient or staff), confirm / check-in / complete / no-show (staff),
and the change policy the booking page shows before a patient books (docs/change-policy.md)."""
from __future__ import annotations

from dataclasses import replace

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from clinic_common.audit import audited, url_id
from clinic_common.auth import STAFF, bearer_claims, require_roles
from clinic_common.errors import PROBLEM_JSON

from bookings import operations
from bookings.api import bookings as booking_routes
from bookings.api.access import booking_for_caller
from bookings.api.bookings import MANAGE_TOKEN
from bookings.api.schemas import BookingSchema, CancelSchema, ChangePolicySchema, LateChangeProblemSchema, RescheduleSchema
from bookings.config import change_policy

blp = Blueprint("booking_lifecycle", __name__, url_prefix="/api/v1/bookings", description="Booking lifecycle")
LATE = {"schema": LateChangeProblemSchema, "content_type": PROBLEM_JSON,
        "description": "Conflict: the booking's state does not allow it, the slot was taken, or (type "
                       "/problems/late-change) a patient's change inside CANCEL_CUTOFF_HOURS: call `phone`"}


def deps() -> operations.Deps:
    return replace(booking_routes.deps(), change_policy=change_policy(current_app.config["CLINIC_SETTINGS"]))


def by_patient() -> bool:
    """A caller without a staff token acts with the manage token: the patient's policy applies."""
    claims = bearer_claims()
    return not (claims is not None and claims.is_staff)


@blp.route("/policy")
class Policy(MethodView):
    @blp.response(200, ChangePolicySchema)
    def get(self):
        """How soon and how far ahead a patient may book, and until when they may cancel or move online (public)"""
        settings = current_app.config["CLINIC_SETTINGS"]
        return {"cancel_cutoff_hours": settings.cancel_cutoff_hours, "min_notice_hours": settings.min_notice_hours,
                "booking_horizon_days": settings.booking_horizon_days}


@blp.route("/<booking_id>/cancel")
class Cancel(MethodView):
    @audited("booking.cancel", "booking", url_id("booking_id"))  # outermost: a refused body is an attempt too
    @blp.arguments(CancelSchema)
    @blp.response(200, BookingSchema)
    @blp.alt_response(409, **LATE)
    @blp.doc(parameters=[MANAGE_TOKEN])
    def post(self, body, booking_id):
        """Cancel a booking; its slot is free again at once (patient with token, or staff)

        A patient's cancel inside CANCEL_CUTOFF_HOURS of the visit is 409 `/problems/late-change`
        with the clinic's `phone`; staff may still cancel, and the booking records `late: true`.
        """
        booking_for_caller(booking_id)
        return operations.transition(deps(), booking_id, "cancel", body.get("reason"), by_patient=by_patient())


@blp.route("/<booking_id>/reschedule")
class Reschedule(MethodView):
    @audited("booking.reschedule", "booking", url_id("booking_id"))
    @blp.arguments(RescheduleSchema)
    @blp.response(200, BookingSchema)
    @blp.alt_response(409, **LATE)
    @blp.doc(parameters=[MANAGE_TOKEN])
    def post(self, body, booking_id):
        """Move a booking to another free slot, optionally with another provider (patient with token, or staff)

        A patient's move of a visit inside CANCEL_CUTOFF_HOURS is 409 `/problems/late-change` with the
        clinic's `phone`; staff may still move it, and the booking records `late: true`. With
        `modality: telehealth` an in-person visit moves to telehealth (`patient_state`: where the patient
        will be; else the patient's state). A move clears the booking's `disruption`.
        """
        booking_for_caller(booking_id)
        return operations.reschedule(deps(), booking_id, body["start"], body.get("provider_id"),
                                     by_patient=by_patient(), modality=body.get("modality"),
                                     patient_state=body.get("patient_state"))


def _staff_transition(action: str, summary: str):
    @audited(f"booking.{action}", "booking", url_id("booking_id"))  # before the role check: refusals are audited
    @require_roles(*STAFF)
    @blp.response(200, BookingSchema)
    def post(self, booking_id):
        booking_for_caller(booking_id, token_allowed=False)
        return operations.transition(deps(), booking_id, action)

    post.__doc__ = summary
    return type(f"{action.title().replace('_', '')}View", (MethodView,), {"post": post})


for _action, _path, _summary in (
        ("confirm", "confirm", "Confirm a requested booking (staff)"),
        ("check_in", "check-in", "Check a patient in, on the visit's day only (staff; else 409 /problems/not-visit-day)"),
        ("complete", "complete", "Mark a visit completed, once it has started (staff; else 409 /problems/too-early)"),
        ("no_show", "no-show", "Mark a no-show, once the visit has started (staff; else 409 /problems/too-early)")):
    blp.route(f"/<booking_id>/{_path}")(_staff_transition(_action, _summary))
