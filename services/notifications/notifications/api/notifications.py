"""The delivery log, for staff: what was sent to whom (masked), when, and what went wrong."""
from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from clinic_common.audit import audited
from clinic_common.auth import STAFF, require_roles
from clinic_common.web import resource

from notifications.domain.plan import KIND_BY_EVENT, public_view

blp = Blueprint("notifications", __name__, url_prefix="/api/v1/notifications", description="Delivery log")
KINDS = ("reminder", *dict.fromkeys(KIND_BY_EVENT.values()))  # every kind a record may have
STATUSES = ("pending", "sent", "failed", "skipped")


class NotificationQuery(Schema):
    booking_id = fields.String(validate=validate.Length(min=1, max=64))
    appointment_request_id = fields.String(validate=validate.Length(min=1, max=64),
                                           metadata={"description": "instead of booking_id: a request's notices"})

    @validates_schema
    def _one_subject(self, data, **_kw):
        if not data.get("booking_id") and not data.get("appointment_request_id"):
            raise ValidationError({"booking_id": ["Missing data for required field."]})


class NotificationSchema(Schema):
    id = fields.String()
    booking_id = fields.String(allow_none=True)
    appointment_request_id = fields.String(allow_none=True)
    waitlist_id = fields.String(allow_none=True, metadata={"description": "The waitlist entry a waitlist message is about"})
    event_id = fields.String()
    kind = fields.String(metadata={"enum": list(KINDS)})
    channel = fields.String(metadata={"enum": ["email", "sms"]})
    language = fields.String(metadata={"enum": ["en", "es"]})
    status = fields.String(metadata={"enum": list(STATUSES),
                                     "description": "skipped: not sent on purpose (channel off, visit cancelled, no SMS consent, the number replied STOP)"})
    attempts = fields.Integer()
    sent_at = fields.String(allow_none=True, metadata={"format": "date-time"})
    last_error = fields.String(allow_none=True)
    recipient = fields.String(metadata={"description": "masked, e.g. a***@example.com or ***0123"})
    created_at = fields.String(metadata={"format": "date-time"})
    resent_from = fields.String(metadata={"description": "A staff resend: the id of the message it sends again"})


class NotificationList(Schema):
    notifications = fields.List(fields.Nested(NotificationSchema))


def _subjects(_kwargs) -> list:
    """What the log was asked about, read before the query is validated: refusals name it too."""
    return [request.args.get("booking_id"), request.args.get("appointment_request_id")]


@blp.route("")
class Notifications(MethodView):
    @audited("notification.list", "notification", _subjects)  # every read of the log, refused ones too
    @require_roles(*STAFF)
    @blp.arguments(NotificationQuery, location="query")
    @blp.response(200, NotificationList)
    def get(self, query):
        """List the notifications of one booking, or of one appointment request (staff)"""
        field = "booking_id" if query.get("booking_id") else "appointment_request_id"
        docs = resource("notifications").about(field, query[field])
        return {"notifications": [public_view(doc) for doc in docs]}
