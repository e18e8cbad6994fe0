"""Delivery channels: email over SMTP and SMS through a webhook. Each `send` returns or raises DeliveryError."""
from __future__ import annotations


class DeliveryError(Exception):
    """The channel did not take the message. `permanent`: retrying cannot help (bad address, refused)."""

    def __init__(self, reason: str, permanent: bool = False):
        super().__init__(reason)
        self.reason, self.permanent = reason, permanent
