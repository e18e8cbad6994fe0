"""Messages about one booking, on one channel, leave in the order the booking changed. Pure.

A booking's events can be recorded out of order and several senders work at once, so without
this rule a patient could read "cancelled" before "confirmed". A message about version v waits
while a message about an older version of the same booking, on the same channel, is unsettled.
Reminders and appointment requests carry no booking version: they take no part in the order.
"""
from __future__ import annotations

UNSETTLED = ("pending", "sending")  # neither sent, failed nor skipped: still on its way
WAIT_S = 0.5  # a waiting message looks again this soon: the one ahead of it usually leaves within a second
WAIT_REASON = "an earlier message about this booking goes first"
FIRST_VERSION = 1  # a booking is created at version 1 (bookings' VersionedCollection)


def ordered_version(note: dict) -> int | None:
    """The booking version a message is ordered by; None when it takes no part in the order."""
    version = note.get("booking_version")
    return version if isinstance(version, int) else None


def may_have_predecessors(version: int | None) -> bool:
    """Whether a message could have one ahead of it: not when it takes no part in the order, nor when it is
    about the booking's first version (its confirmation, the most common message of all)."""
    return version is not None and version > FIRST_VERSION


def must_wait(version: int | None, oldest_unsettled: int | None) -> bool:
    """Whether a message about `version` waits, given the oldest version still unsettled on its booking
    and channel (the store's answer, which counts the message itself)."""
    return version is not None and oldest_unsettled is not None and oldest_unsettled < version
