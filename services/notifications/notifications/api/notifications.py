"""The delivery log, for staff."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, post_dump, validate

from clinic_common.auth import STAFF, require_roles
from clinic_common.web import resource

from notifications.domain.plan import mask_recipient

blp = Blueprint("notifications", __name__, url_prefix="/api/v1/notifications", description="Delivery log")


class NotificationQuery(Schema):
    booking_id = fields.String(required=True, validate=validate.Length(min=1, max=64))


class NotificationSchema(Schema):
    id = fields.String()
    booking_id = fields.String(allow_none=True)
    event_id = fields.String()
    kind = fields.String()
    channel = fields.String()
    language = fields.String()
    status = fields.String()
    attempts = fields.Integer()
    sent_at = fields.AwareDateTime(format="iso", allow_none=True)
    last_error = fields.String(allow_none=True)
    recipient = fields.String()

    @post_dump(pass_original=True)
    def _mask(self, data, original, **_kwargs):
        data["recipient"] = mask_recipient(original.get("channel", ""), original.get("recipient", ""))
        return data


class NotificationList(Schema):
    notifications = fields.List(fields.Nested(NotificationSchema))


@blp.route("")
class Notifications(MethodView):
    @require_roles(*STAFF)
    @blp.arguments(NotificationQuery, location="query")
    @blp.response(200, NotificationList)
    def get(self, query):
        """List the notifications of one booking (staff)"""
        return {"notifications": resource("notifications").for_booking(query["booking_id"])}
