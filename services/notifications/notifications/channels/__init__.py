"""Delivery channels: email over SMTP and SMS through a webhook. Each `send` returns or raises DeliveryError."""
from __future__ import annotations


class DeliveryError(Exception):
    """The channel did not take the message. `permanent`: retrying cannot help (bad address, refused)."""

    def __init__(self, reason: str, permanent: bool = False):
        super().__init__(reason)
        self.reason, self.permanent = reason, permanent


# A channel without its address is off: its messages are recorded as skipped, with this reason.
OFF_REASON = {"email": "email is off: SMTP_HOST is not set", "sms": "SMS is off: SMS_WEBHOOK_URL is not set"}


def off_channels(settings) -> dict[str, str]:
    """The channels this deployment does not send on, each with the reason its messages are skipped."""
    configured = {"email": settings.smtp_host, "sms": settings.sms_webhook_url}
    return {channel: OFF_REASON[channel] for channel, address in configured.items() if not address}
