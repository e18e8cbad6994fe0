"""Booking routes: thin views that parse, call the domain, store, and serialize."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import g, request
from flask.views import MethodView
from flask_smorest import Blueprint

from clinic_common.auth import bearer_claims
from clinic_common.errors import NotFound
from clinic_common.web import resource

from bookings.api.schemas import BookingCreateSchema, BookingCreatedSchema, BookingSchema
from bookings.domain.booking import is_booking_id, new_booking_id, open_booking, public_view, status_event
from bookings.domain.tokens import new_manage_token, token_matches

blp = Blueprint("bookings", __name__, url_prefix="/api/v1/bookings", description="Book, view and manage appointments")


@blp.route("")
class Bookings(MethodView):
    @blp.arguments(BookingCreateSchema)
    @blp.response(201, BookingCreatedSchema)
    def post(self, body):
        """Book an appointment (public)

        The response carries the manage token once; only its hash is stored.
        """
        token, token_hash = new_manage_token()
        booking = open_booking(body, booking_id=new_booking_id(), token_hash=token_hash,
                               now=datetime.now(timezone.utc))
        resource("bookings").add(booking, status_event(booking, g.request_id))
        return {**public_view(booking), "manage_token": token}


@blp.route("/<booking_id>")
class BookingById(MethodView):
    @blp.response(200, BookingSchema)
    @blp.doc(parameters=[{"in": "header", "name": "X-Manage-Token", "schema": {"type": "string"}, "required": False}])
    def get(self, booking_id):
        """Read one booking (staff, or the holder of its manage token)"""
        return public_view(_booking_for_caller(booking_id))


def _booking_for_caller(booking_id: str) -> dict:
    """Staff see any booking; a manage token opens only its own. Everything else looks like 'not found'."""
    booking = resource("bookings").get(booking_id) if is_booking_id(booking_id) else None
    claims = bearer_claims()
    allowed = booking is not None and (
        (claims is not None and claims.is_staff)
        or token_matches(request.headers.get("X-Manage-Token"), booking["manage_token_hash"]))
    if not allowed:
        raise NotFound("No booking with that id is available to you.")
    return booking
