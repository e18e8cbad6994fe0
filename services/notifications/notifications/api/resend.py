"""Staff send one of a booking's messages again: POST /notifications/{id}/resend.

The rule (which message, which booking, which channel) is domain/resend.py; a refusal is a 409 that says
why in plain words. The new record is stored pending and the dispatcher's poll sends it like any other, so
this answers at once with the record (status pending) and the delivery log shows how it went.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from flask import current_app, g
from flask.views import MethodView
from flask_smorest import Blueprint

from clinic_common.apidoc import ProblemSchema
from clinic_common.audit import audited, url_id
from clinic_common.auth import STAFF, require_roles
from clinic_common.errors import PROBLEM_JSON, Conflict, NotFound
from clinic_common.web import resource

from notifications.api.notifications import NotificationSchema
from notifications.channels import off_channels
from notifications.domain.plan import public_view
from notifications.domain.resend import ResendRefused, resend_record

blp = Blueprint("notification_resend", __name__, url_prefix="/api/v1/notifications", description="Delivery log")
REFUSED = {"schema": ProblemSchema, "content_type": PROBLEM_JSON,
           "description": "Conflict: the message cannot go again; `detail` says why in English and the type names "
                          "the reason: /problems/resend-<not-booking | pending | skipped-for-good | already | "
                          "inactive | visit-over | not-disrupted | channel-off | no-address | no-consent | opted-out>"}


@blp.route("/<notification_id>/resend")
class Resend(MethodView):
    @audited("notification.resend", "notification", url_id("notification_id"))  # refusals are kept too
    @require_roles(*STAFF)
    @blp.response(201, NotificationSchema)
    @blp.alt_response(409, **REFUSED)
    def post(self, notification_id):
        """Send a booking's message again, composed afresh from the booking as it is now (staff)"""
        resends, now = resource("resends"), datetime.now(timezone.utc)
        original = resends.original(notification_id) if len(notification_id) <= 200 else None
        if original is None:
            raise NotFound("No message with that id.")
        if original.get("booking_id"):
            g.audit.target_ids.append(original["booking_id"])  # "who touched this booking?" finds it
        state = resends.newest_state(original["booking_id"]) if original.get("booking_id") else None
        optouts = resource("sms_optouts")
        try:
            doc = resend_record(original, state or {}, f"{original['_id']}:resend:{uuid.uuid4().hex[:12]}", now,
                                off_channels(current_app.config["CLINIC_SETTINGS"]), optouts.is_opted_out,
                                resends.resend_pending(original["_id"]))
        except ResendRefused as refused:
            conflict = Conflict(str(refused))
            conflict.slug = f"resend-{refused.code}"  # a page words each reason in its own language
            raise conflict from None
        return public_view(resends.add(doc, now)), 201
