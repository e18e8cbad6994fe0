"""Hold routes (docs/holds.md): keep a picked time for HOLD_MINUTES, or let it go."""
from __future__ import annotations

from flask import current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint

from clinic_common.idempotency import RESUMED
from clinic_common.web import resource

from bookings import hold_operations
from bookings.api.bookings import IDEMPOTENCY, deps as booking_deps
from bookings.api.hold_schemas import HoldCreateSchema, HoldCreatedSchema
from bookings.api.problems import refusals_as_problems
from bookings.api.replayable import finished
from bookings.domain.holds import new_hold_id, vouched_address

blp = Blueprint("holds", __name__, url_prefix="/api/v1/holds",
                description="Keep a picked time while the patient fills in the form")
CREATED = HoldCreatedSchema()
HOLD_TOKEN = {"in": "header", "name": "X-Hold-Token", "schema": {"type": "string"}, "required": False}
CLIENT_ADDRESS, CLIENT_ADDRESS_PROOF = "X-Client-Address", "X-Client-Address-Proof"


def hold_deps() -> hold_operations.HoldDeps:
    settings = current_app.config["CLINIC_SETTINGS"]
    return hold_operations.HoldDeps(booking=booking_deps(), holds=resource("holds"),
                                    minutes=settings.hold_minutes, per_client=settings.holds_per_client)


def client_address() -> str:
    """The client the gateway vouches for (X-Client-Address with its proof); else the peer's address."""
    vouched = vouched_address(current_app.config["CLINIC_SETTINGS"].jwt_secret,
                              request.headers.get(CLIENT_ADDRESS), request.headers.get(CLIENT_ADDRESS_PROOF))
    return vouched or request.remote_addr or "unknown"


@blp.route("")
class Holds(MethodView):
    @blp.arguments(HoldCreateSchema)
    @blp.response(201, HoldCreatedSchema)
    @blp.doc(parameters=[IDEMPOTENCY])
    def post(self, body):
        """Hold a slot (public)

        201 with the hold, its token (shown once) and when it expires (HOLD_MINUTES); while it lives
        the slot is gone from everyone else's availability. 409 when the slot was just taken; 422
        when it is not bookable; 429 beyond HOLDS_PER_CLIENT live holds per client address.
        """
        attempt = {"hold_id": new_hold_id(), "hold_token": hold_operations.new_hold_token()}
        client = client_address()

        def produce(attempt):
            with refusals_as_problems():
                held, token = hold_operations.hold(hold_deps(), body, attempt["hold_id"], attempt["hold_token"],
                                                   client, resumed=attempt.get(RESUMED, False))
            return 201, CREATED.dump({**held, "hold_token": token, "slot": held})

        status, result, replayed = resource("idempotency").run(
            "POST /holds", request.headers.get("Idempotency-Key"), request.get_json(), produce, "hold_token", attempt)
        return finished(result, status, replayed)


@blp.route("/<hold_id>")
class HoldById(MethodView):
    @blp.response(204)
    @blp.doc(parameters=[HOLD_TOKEN])
    def delete(self, hold_id):
        """Let a hold go (the holder of its token)

        204 whatever became of it (expired, booked, already let go); 404, the same for an unknown id
        and a wrong token.
        """
        hold_operations.release(hold_deps(), hold_id, request.headers.get("X-Hold-Token"))
        return None
