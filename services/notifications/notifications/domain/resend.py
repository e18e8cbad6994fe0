"""Sending one of a booking's messages again, at staff's request. Pure.

Which message may go again: one that was sent, failed, or was skipped for a reason that can have gone away
since (the channel was off, the patient had not agreed to texts, the number had replied STOP), of a booking
that is still active (not cancelled, not over) as notifications last heard of it. The resend is a new record
linked to the original (`resent_from`), composed afresh from the booking's newest snapshot and addressed
to the patient's current address on that channel; the dispatcher sends it like any other. An SMS still
never goes without consent or to a number that replied STOP: those are refused here, and asked again by
the sender just before it sends.
"""
from __future__ import annotations

from datetime import datetime, timezone

from notifications.channels import OFF_REASON
from notifications.domain.order import UNSETTLED
from notifications.domain.sms_consent import NO_CONSENT, OPTED_OUT, has_sms_consent

ACTIVE = ("requested", "confirmed", "checked_in")
FIXABLE_SKIPS = (*OFF_REASON.values(), NO_CONSENT, OPTED_OUT)
ADDRESS = {"email": "email", "sms": "phone"}
COPIED = ("kind", "channel", "event_id", "offset_hours", "reminder_id", "reminder_due")


class ResendRefused(Exception):
    """Why this message cannot go again: `code` for a page to word it in its language (the problem type
    /problems/resend-<code>), and the words for staff in English."""

    def __init__(self, code: str, words: str):
        super().__init__(words)
        self.code = code


def _instant(value) -> datetime | None:
    """A snapshot's ISO instant in UTC (None when unreadable)."""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)


def check_message(original: dict, resend_pending: bool) -> None:
    """The message itself: a booking's own, settled, and not skipped for good."""
    if original.get("source") != "booking" or not original.get("booking_id"):
        raise ResendRefused("not-booking", "Only a booking's own messages can be sent again (not a series', a "
                                           "combined visit's, a request's or the waitlist's).")
    if original.get("status") in UNSETTLED:
        raise ResendRefused("pending", "This message is still on its way.")
    if original.get("status") == "skipped" and original.get("last_error") not in FIXABLE_SKIPS:
        raise ResendRefused("skipped-for-good", f"This message was skipped on purpose ({original.get('last_error')}); "
                                                "sending it again would not change that.")
    if resend_pending:
        raise ResendRefused("already", "This message is already being sent again.")


def check_booking(original: dict, state: dict, now: datetime) -> None:
    """The booking as notifications last heard of it: still active, and still as the message tells it."""
    if state.get("status") not in ACTIVE:
        status = state.get("status") or "no longer active"
        raise ResendRefused("inactive", f"The booking is {status}: nothing to send again.")
    end = _instant(state.get("end"))
    if end is None or end <= now:
        raise ResendRefused("visit-over", "The visit is over: nothing to send again.")
    if original.get("kind") == "booking_disrupted" and not state.get("disruption"):
        raise ResendRefused("not-disrupted", "The booking is no longer disrupted: that message would be wrong now.")


def check_channel(channel: str, patient: dict, off: dict[str, str], opted_out) -> str:
    """The patient's current address on the channel, if the channel may be used now; `opted_out(number)`.
    The patient's own word comes first: without consent to texts, no SMS, whatever the deployment sends."""
    if channel == "sms" and not has_sms_consent(patient):
        raise ResendRefused("no-consent", "The patient has not agreed to texts: no SMS can be sent.")
    if channel in off:
        raise ResendRefused("channel-off", off[channel])
    address = patient.get(ADDRESS.get(channel, ""))
    if not isinstance(address, str) or not address:
        what = "email address" if channel == "email" else "phone number"
        raise ResendRefused("no-address", f"The booking has no {what} now.")
    if channel == "sms" and opted_out(address):
        raise ResendRefused("opted-out", "The number replied STOP: no SMS until it replies START.")
    return address


def resend_record(original: dict, state: dict, new_id: str, now: datetime, off: dict[str, str], opted_out,
                  resend_pending: bool = False) -> dict:
    """The new record, or ResendRefused. It takes no part in the booking's message order (a resend tells
    the booking as it is now, whatever else is on its way) and is due at once."""
    check_message(original, resend_pending)
    check_booking(original, state, now)
    patient = state.get("patient") if isinstance(state.get("patient"), dict) else {}
    recipient = check_channel(original["channel"], patient, off, opted_out)
    language = patient.get("language") if patient.get("language") in ("en", "es") else "en"
    return {"_id": new_id, **{key: original[key] for key in COPIED if key in original}, "recipient": recipient,
            "language": language, "source": "booking", "data": state, "booking_id": original["booking_id"],
            "booking_version": None, "appointment_request_id": None, "occurred_at": now.isoformat(),
            "request_id": original.get("request_id") or "", "appointment_start": _instant(state.get("start")),
            "resent_from": original["_id"]}
