"""The waitlist: join (public), read or withdraw (its manage token, or staff), staff's list, and accept
or decline an offer (its manage token, or the offer link's credential). Thin views over
waitlist_operations.py.

Every refusal about who the caller is answers the same 404 after the same work: a wrong token, a wrong
link, an offer that ran out or was someone else's; a guess learns nothing.
"""
from __future__ import annotations

import functools

from flask import current_app, g, request
from flask.views import MethodView
from flask_smorest import Blueprint

from clinic_common.auth import STAFF, bearer_claims, require_roles
from clinic_common.errors import NotFound
from clinic_common.idempotency import RESUMED
from clinic_common.web import resource

from bookings import waitlist_operations as ops
from bookings.api.access import audit
from bookings.api.bookings import IDEMPOTENCY, MANAGE_TOKEN
from bookings.api.problems import refusals_as_problems
from bookings.api.replayable import finished
from bookings.api.schemas import BookingCreatedSchema
from bookings.api.waitlist_schemas import (OfferAnswerSchema, WaitlistCreateSchema, WaitlistCreatedSchema,
                                           WaitlistEntrySchema, WaitlistList, WaitlistQuery)
from bookings.domain.booking import is_booking_id, new_booking_id
from bookings.domain.tokens import hash_token, new_manage_token, token_matches
from bookings.domain.waitlist import credential_matches

blp = Blueprint("waitlist", __name__, url_prefix="/api/v1/waitlist",
                description="Waitlist: be offered a time when one frees")
TARGET, SCOPE = "waitlist", "POST /waitlist"
VIEW, CREATED = WaitlistEntrySchema(), WaitlistCreatedSchema()
NO_SUCH_HASH = hash_token("no waitlist entry has this token")
OFFER_TOKEN = {"in": "header", "name": "X-Offer-Token", "schema": {"type": "string"}, "required": False,
               "description": "The credential of an offer's link (`<entry id>.<offer id>.<mac>`)"}
GONE = "No such waitlist entry or offer is available to you."


def deps() -> ops.WaitlistDeps:
    settings = current_app.extensions["waitlist"]
    return ops.WaitlistDeps(
        waitlist=resource("waitlist"), ledger=resource("ledger"), bookings=resource("bookings"),
        schedules=resource("schedules"), providers=resource("provider_traits"),
        policy=current_app.extensions["booking_policy"], offer_minutes=settings["offer_minutes"],
        clock=current_app.extensions["clock"], catalog=resource("catalog"),
        provider_records=resource("provider_records"))


def _link_ok(entry_id: str, offer_id: str | None = None) -> bool:
    """The X-Offer-Token names this entry (and this offer, when one is named) and its MAC is right."""
    credential = request.headers.get("X-Offer-Token") or ""
    parts = credential.split(".")
    if len(parts) != 3 or parts[0] != entry_id or (offer_id is not None and parts[1] != offer_id):
        credential_matches(current_app.extensions["waitlist"]["link_key"], "x", "x", "x")  # the same work
        return False
    return credential_matches(current_app.extensions["waitlist"]["link_key"], credential, entry_id, parts[1])


def staff_only(action: str):
    """Audit `action`, then 401 without a token and 403 for a non-staff role."""

    def decorate(view):
        checked = require_roles(*STAFF)(view)

        @functools.wraps(checked)  # checked's OpenAPI notes: the bearer token it needs
        def wrapper(*args, **kwargs):
            audit(action, TARGET)  # refused attempts are audited too
            return checked(*args, **kwargs)

        return wrapper

    return decorate


def entry_for_caller(entry_id: str, offer_id: str | None = None, staff_allowed: bool = True,
                     link_allowed: bool = True) -> dict:
    entry = resource("waitlist").get(entry_id) if is_booking_id(entry_id) else None
    token_ok = token_matches(request.headers.get("X-Manage-Token"),
                             entry["manage_token_hash"] if entry else NO_SUCH_HASH)
    link_ok = _link_ok(entry_id, offer_id) and link_allowed
    claims = bearer_claims()
    staff = staff_allowed and claims is not None and claims.is_staff
    if entry is None or not (staff or token_ok or link_ok):
        raise NotFound(GONE)
    return entry


@blp.route("")
class Waitlist(MethodView):
    @blp.arguments(WaitlistCreateSchema)
    @blp.response(201, WaitlistCreatedSchema)
    @blp.doc(parameters=[IDEMPOTENCY])
    def post(self, body):
        """Join the waitlist: be offered a matching time when one frees (public)

        201 with the entry and, once only, its manage token; 422 for an unknown service, location or provider,
        windows whose `from` is not before `to`, days outside mon..sun, or `until` in the past.
        """
        token, _ = new_manage_token()
        attempt = {"id": new_booking_id(), "manage_token": token}
        audit(f"{TARGET}.create", TARGET, attempt["id"])

        def produce(attempt):
            existing = resource("waitlist").get(attempt["id"]) if attempt.get(RESUMED) else None
            if existing is None:
                with refusals_as_problems():
                    existing = ops.join(deps(), body, attempt["id"], attempt["manage_token"])
            return 201, CREATED.dump({**existing, "manage_token": attempt["manage_token"]})

        status, result, replayed = resource("idempotency").run(
            SCOPE, request.headers.get("Idempotency-Key"), request.get_json(), produce, "manage_token", attempt)
        g.audit.target_ids = [result["id"]]
        return finished(result, status, replayed)

    @staff_only(f"{TARGET}.list")
    @blp.arguments(WaitlistQuery, location="query")
    @blp.response(200, WaitlistList)
    def get(self, query):
        """List waitlist entries, longest-waiting first, by location, service and status (staff)"""
        found = resource("waitlist").find(query, query["limit"])
        g.audit.target_ids = [doc["_id"] for doc in found]
        return {"entries": found}


@blp.route("/<entry_id>")
class WaitlistEntry(MethodView):
    @blp.response(200, WaitlistEntrySchema)
    @blp.doc(parameters=[MANAGE_TOKEN, OFFER_TOKEN])
    def get(self, entry_id):
        """Read a waitlist entry and its live offer (staff, its manage token, or its offer's link)"""
        audit(f"{TARGET}.read", TARGET, entry_id)
        return entry_for_caller(entry_id)

    @blp.response(200, WaitlistEntrySchema)
    @blp.doc(parameters=[MANAGE_TOKEN])
    def delete(self, entry_id):
        """Leave the waitlist (staff or its manage token); a live offer goes to the next match"""
        audit(f"{TARGET}.withdraw", TARGET, entry_id)
        with refusals_as_problems():  # a link accepts or declines; it never withdraws
            return ops.withdraw(deps(), entry_for_caller(entry_id, link_allowed=False))


@blp.route("/<entry_id>/accept")
class Accept(MethodView):
    @blp.arguments(OfferAnswerSchema)
    @blp.response(201, BookingCreatedSchema)
    @blp.doc(parameters=[MANAGE_TOKEN, OFFER_TOKEN])
    def post(self, body, entry_id):
        """Accept an offer: book its slot (its manage token or the offer's link)

        201 with the booking and its manage token; 404, as for a wrong token, when the offer ran out, was
        declined, or is not this entry's.
        """
        audit(f"{TARGET}.accept", TARGET, entry_id)
        entry = entry_for_caller(entry_id, body["offer_id"], staff_allowed=False)
        try:
            booking, token = ops.accept(deps(), entry, body["offer_id"])
        except ops.OfferGone:
            raise NotFound(GONE) from None
        g.audit.target_ids.append(booking["_id"])
        return {**booking, "manage_token": token}, 201


@blp.route("/<entry_id>/decline")
class Decline(MethodView):
    @blp.arguments(OfferAnswerSchema)
    @blp.response(200, WaitlistEntrySchema)
    @blp.doc(parameters=[MANAGE_TOKEN, OFFER_TOKEN])
    def post(self, body, entry_id):
        """Decline an offer: the entry keeps waiting, the slot goes to the next match (its manage token or link)"""
        audit(f"{TARGET}.decline", TARGET, entry_id)
        entry = entry_for_caller(entry_id, body["offer_id"], staff_allowed=False)
        try:
            return ops.decline(deps(), entry, body["offer_id"])
        except ops.OfferGone:
            raise NotFound(GONE) from None
