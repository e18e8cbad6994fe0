"""The patient's inbox: an SMTP sink (aiosmtpd, as the notification tests use) that keeps every message in order
of arrival, and the reading of each one into what the pass figures need.

An email is tied to its booking by the UID of its .ics (`booking-<id>@…`) or, for a message without one, by its
recipient: every booking of the proving ground has a patient address of its own. The kind comes from the
English subject line (templates/en/*.j2), the order from the sink's arrival counter.
"""
from __future__ import annotations

import email
import re
from dataclasses import dataclass
from email import policy

from bench.notify_sink import UID, StampingSink

SEQUENCE = re.compile(r"^SEQUENCE:(\d+)", re.MULTILINE)
KINDS = (("Confirmed:", "confirmation"), ("Cancelled:", "cancellation"), ("Reminder:", "reminder"),
         ("Appointment moved:", "reschedule"))


@dataclass(frozen=True)
class Mail:
    order: int
    at: float
    message_id: str
    to: str
    kind: str
    booking_id: str | None
    sequence: int | None


class Sink(StampingSink):
    """bench's stamping SMTP sink (arrival time and raw bytes of every message, in order), read as the patient would."""

    def mails(self) -> list[Mail]:
        return [read(n, at, content) for n, (at, content) in enumerate(list(self.arrivals))]


def read(order: int, at: float, content: bytes) -> Mail:
    message = email.message_from_bytes(content, policy=policy.default)
    subject = " ".join(str(message.get("Subject", "")).split())  # a folded long subject starts with a space
    kind = next((name for prefix, name in KINDS if subject.startswith(prefix)), "other")
    booking_id = sequence = None
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            text = part.get_payload(decode=True).decode(errors="replace").replace("\r\n ", "").replace("\n ", "")
            found, number = UID.search(text), SEQUENCE.search(text)
            booking_id = found.group(1) if found else None
            sequence = int(number.group(1)) if number else None
    return Mail(order, at, str(message.get("Message-ID", "")), str(message.get("To", "")).lower(), kind,
                booking_id, sequence)
