"""The SMS gateway's inbound webhook: a patient's text back to us. STOP (and its synonyms) records the
number's opt-out, START lifts it, HELP is answered with who we are and the clinic's phone; each gets its
reply through the SMS webhook, in the patient's language (domain/sms_keywords.py). Any other text is
acknowledged and left alone: a person reads the practice's SMS inbox, not this service.

No staff token: the gateway signs each call with SMS_INBOUND_SECRET, `X-SMS-Signature: sha256=<hex of
HMAC-SHA256(secret, raw body)>`. Without the secret set, or with a wrong or missing signature, the answer
is 401 before the body is even read, so nobody else can opt a patient out or make us text anyone.
"""
from __future__ import annotations

import functools
import hashlib
import hmac
import logging
from datetime import datetime, timezone

import phonenumbers
from flask import current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate

from clinic_common.errors import Unauthorized
from clinic_common.web import resource

from notifications.channels import DeliveryError
from notifications.content import Message
from notifications.domain.sms_keywords import START, STOP, keyword_of, reply_language, reply_text
from notifications.domain.wording import format_phone

log = logging.getLogger(__name__)
blp = Blueprint("sms_inbound", __name__, url_prefix="/api/v1/notifications/sms",
                description="Patients' texts back: STOP, START, HELP")
SIGNATURE = "X-SMS-Signature"
SIGNATURE_DOC = {"in": "header", "name": SIGNATURE, "required": True, "schema": {"type": "string"},
                 "description": "sha256=<hex HMAC-SHA256 of the raw body under SMS_INBOUND_SECRET>"}


def signature_of(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signed(view):
    """401 unless the raw body carries the SMS gateway's signature (checked before the body is parsed)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        secret = current_app.config["CLINIC_SETTINGS"].sms_inbound_secret
        expected = signature_of(secret or "no secret set", request.get_data(cache=True))
        if not secret or not hmac.compare_digest(expected, request.headers.get(SIGNATURE, "")):
            raise Unauthorized("The inbound SMS webhook needs the SMS gateway's signature.")
        return view(*args, **kwargs)

    return wrapper


class PhoneNumberIn(fields.String):
    """The sender's number, kept in E.164 as patients' numbers are (what SMS records name)."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            number = phonenumbers.parse(text, None)
        except phonenumbers.NumberParseException:
            raise ValidationError("Use international format, e.g. +15555550123.") from None
        if not phonenumbers.is_possible_number(number):
            raise ValidationError("Use international format, e.g. +15555550123.")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class InboundSms(Schema):
    from_ = PhoneNumberIn(required=True, data_key="from", metadata={"example": "+15555550123"})
    body = fields.String(required=True, validate=validate.Length(max=1600))
    id = fields.String(load_default=None, validate=validate.Length(max=200),
                       metadata={"description": "The gateway's message id, if it has one: makes the reply's "
                                                "idempotency key, so a redelivered webhook texts nobody twice"})


class InboundAnswer(Schema):
    action = fields.String(metadata={"enum": ["opted_out", "opted_in", "help", "none"]})
    reply_sent = fields.Boolean(metadata={"description": "false: no reply (not a keyword, SMS off, or the SMS "
                                                         "webhook refused it; an opt-out is recorded anyway)"})


@blp.route("/inbound")
class Inbound(MethodView):
    @signed
    @blp.arguments(InboundSms)
    @blp.response(200, InboundAnswer)
    @blp.doc(parameters=[SIGNATURE_DOC])
    def post(self, body):
        """A patient's text back (the SMS gateway, signed): STOP / START / HELP and their Spanish words"""
        keyword = keyword_of(body["body"])
        if keyword is None:
            return {"action": "none", "reply_sent": False}
        number, settings = body["from_"], current_app.config["CLINIC_SETTINGS"]
        optouts, now = resource("sms_optouts"), datetime.now(timezone.utc)
        if keyword.action in (STOP, START):
            optouts.set_opted_out(number, keyword.action == STOP, body["body"].strip().upper()[:20], now)
        last = optouts.last_sent(number) or {}
        language = reply_language(keyword, last.get("language"))
        phone = ((last.get("data") or {}).get("location") or {}).get("phone") or settings.practice_phone
        text = reply_text(keyword.action, language, settings.practice_name, format_phone(phone))
        action = {STOP: "opted_out", START: "opted_in"}.get(keyword.action, "help")
        return {"action": action, "reply_sent": _reply(number, text, body)}


def _reply(number: str, text: str, body: dict) -> bool:
    if not current_app.config["CLINIC_SETTINGS"].sms_webhook_url:
        return False
    key = hashlib.sha256(f"{number}|{body['body']}|{body.get('id') or ''}".encode()).hexdigest()[:32]
    try:
        resource("sms_replies").send(f"sms-reply-{key}", number, Message(subject="", text="", sms=text))
    except DeliveryError as exc:  # the opt-out stands; the patient may text again
        log.warning("SMS reply not sent", extra={"reason": exc.reason})
        return False
    return True
