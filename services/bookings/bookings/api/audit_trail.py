"""A booking's audit trail, for staff: who touched it, what they did, when, and the outcome, newest first.

Reading the trail is itself a read of the booking's history, so it is audited like any other (a refused
read too). Entries hold actors and ids only (domain/audit_view.py says how they read); the booking's
patient details are not in them and not added here.
"""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from clinic_common.audit import audited, url_id
from clinic_common.auth import STAFF, require_roles
from clinic_common.errors import NotFound
from clinic_common.limits import supported_date
from clinic_common.web import resource

from bookings.domain.audit_view import DEFAULT_LIMIT, MAX_LIMIT, page_of
from bookings.domain.booking import is_booking_id

blp = Blueprint("booking_audit", __name__, url_prefix="/api/v1/bookings", description="Audit trail")
KINDS = ["staff", "admin", "clinician", "patient", "anonymous", "service"]


class AuditQuery(Schema):
    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(min=1, max=MAX_LIMIT))
    before = fields.AwareDateTime(format="iso", validate=supported_date, load_default=None,
                                  metadata={"description": "the previous page's next_before: older entries"})


class ActorSchema(Schema):
    kind = fields.String(metadata={"enum": KINDS})
    subject = fields.String(allow_none=True, metadata={
        "description": "a signed-in person's subject (the staff sign-in's email, or the token's sub); null otherwise"})
    credential = fields.String(allow_none=True, metadata={
        "enum": ["manage_token", "manage_link", "invalid_token", None],
        "description": "what a caller without a sign-in showed (never the credential itself)"})


class AuditEntrySchema(Schema):
    at = fields.String(metadata={"format": "date-time"})
    action = fields.String(metadata={"example": "booking.check_in"})
    target_type = fields.String()
    outcome = fields.Integer(metadata={"description": "the HTTP status the request got (refusals are kept too)"})
    request_id = fields.String(allow_none=True)
    actor = fields.Nested(ActorSchema)


class AuditPage(Schema):
    entries = fields.List(fields.Nested(AuditEntrySchema))
    next_before = fields.String(allow_none=True, metadata={
        "format": "date-time", "description": "pass as `before` for the next page; null: no more"})


@blp.route("/<booking_id>/audit")
class BookingAudit(MethodView):
    @audited("booking.audit_read", "booking", url_id("booking_id"))  # outermost: a refused read is kept too
    @require_roles(*STAFF)
    @blp.arguments(AuditQuery, location="query")
    @blp.response(200, AuditPage)
    def get(self, query, booking_id):
        """A booking's audit trail, newest first, a page at a time (staff, admin)"""
        if not is_booking_id(booking_id) or resource("bookings").get(booking_id) is None:
            raise NotFound("No booking with that id.")
        docs = resource("audit_trail").about(booking_id, query["before"], query["limit"] + 1)
        entries, next_before = page_of(docs, query["limit"])
        return {"entries": entries, "next_before": next_before}
