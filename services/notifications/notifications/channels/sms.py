"""SMS through the practice's gateway: a JSON POST to SMS_WEBHOOK_URL with {to, body, idempotency_key}.

The idempotency key is the notification id, also sent as the Idempotency-Key header: a gateway
that honours it drops the copy a resend after a crash would make.
"""
from __future__ import annotations

import requests

from clinic_common.config import Settings

from notifications.channels import DeliveryError
from notifications.content import Message

RETRYABLE_4XX = (408, 409, 425, 429)


class SmsChannel:
    def __init__(self, settings: Settings):
        self._url, self._timeout = settings.sms_webhook_url, settings.sms_timeout_s
        self._session = requests.Session()

    def send(self, notification_id: str, recipient: str, message: Message) -> None:
        body = {"to": recipient, "body": message.sms, "idempotency_key": notification_id}
        try:
            response = self._session.post(self._url, json=body, timeout=self._timeout,
                                          headers={"Idempotency-Key": notification_id})
        except requests.RequestException as exc:
            raise DeliveryError(f"SMS gateway unreachable ({type(exc).__name__})") from None
        status = response.status_code
        if 200 <= status < 300:
            return
        permanent = 400 <= status < 500 and status not in RETRYABLE_4XX
        raise DeliveryError(f"SMS gateway answered {status}", permanent=permanent)

    def close(self) -> None:
        self._session.close()
