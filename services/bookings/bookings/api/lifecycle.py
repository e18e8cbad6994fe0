"""Changing a booking: cancel and reschedule (patient or staff), confirm / check-in / complete / no-show (staff)."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from clinic_common.audit import audited, url_id
from clinic_common.auth import STAFF, require_roles

from bookings import operations
from bookings.api.access import booking_for_caller
from bookings.api.bookings import MANAGE_TOKEN, deps
from bookings.api.schemas import BookingSchema, CancelSchema, RescheduleSchema

blp = Blueprint("booking_lifecycle", __name__, url_prefix="/api/v1/bookings", description="Booking lifecycle")


@blp.route("/<booking_id>/cancel")
class Cancel(MethodView):
    @audited("booking.cancel", "booking", url_id("booking_id"))  # outermost: a refused body is an attempt too
    @blp.arguments(CancelSchema)
    @blp.response(200, BookingSchema)
    @blp.doc(parameters=[MANAGE_TOKEN])
    def post(self, body, booking_id):
        """Cancel a booking; its slot is free again at once (patient with token, or staff)"""
        booking_for_caller(booking_id)
        return operations.transition(deps(), booking_id, "cancel", body.get("reason"))


@blp.route("/<booking_id>/reschedule")
class Reschedule(MethodView):
    @audited("booking.reschedule", "booking", url_id("booking_id"))
    @blp.arguments(RescheduleSchema)
    @blp.response(200, BookingSchema)
    @blp.doc(parameters=[MANAGE_TOKEN])
    def post(self, body, booking_id):
        """Move a booking to another free slot, optionally with another provider (patient with token, or staff)"""
        booking_for_caller(booking_id)
        return operations.reschedule(deps(), booking_id, body["start"], body.get("provider_id"))


def _staff_transition(action: str, summary: str):
    @audited(f"booking.{action}", "booking", url_id("booking_id"))  # before the role check: refusals are audited
    @require_roles(*STAFF)
    @blp.response(200, BookingSchema)
    def post(self, booking_id):
        booking_for_caller(booking_id, token_allowed=False)
        return operations.transition(deps(), booking_id, action)

    post.__doc__ = summary
    return type(f"{action.title().replace('_', '')}View", (MethodView,), {"post": post})


for _action, _path, _summary in (("confirm", "confirm", "Confirm a requested booking (staff)"),
                                 ("check_in", "check-in", "Check a patient in (staff)"),
                                 ("complete", "complete", "Mark a visit completed (staff)"),
                                 ("no_show", "no-show", "Mark a no-show (staff)")):
    blp.route(f"/<booking_id>/{_path}")(_staff_transition(_action, _summary))
