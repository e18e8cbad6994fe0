"""The rules a sender applies just before a message goes out, and what a record keeps: message order
within a booking, reminders that must not go out after all, which emails carry an invitation, no notes."""
import pytest

from notifications.domain.calendar import invite_method
from notifications.domain.kept import booking_snapshot, without_notes
from notifications.domain.order import must_wait, ordered_version
from notifications.domain.reminders import skip_reason
from testsupport.notifications import booking_data, utc

NOW = utc(2026, 12, 7, 14, 0)


@pytest.mark.parametrize("version, oldest_unsettled, waits", [
    (2, 1, True),  # the confirmation (v1) is still on its way: the cancellation (v2) waits for it
    (3, 1, True),
    (2, 2, False),  # the oldest unsettled message is this one
    (1, 1, False),
    (1, None, False),  # nothing unsettled (the store's answer missed it: the message goes)
    (None, 1, False),  # reminders and requests take no part in the order
])
def test_messages_about_one_booking_leave_in_version_order(version, oldest_unsettled, waits):
    assert must_wait(version, oldest_unsettled) is waits


@pytest.mark.parametrize("note, version", [
    ({"booking_version": 4}, 4),
    ({"booking_version": None}, None),
    ({}, None),  # a reminder's or a request's notification
])
def test_the_version_a_message_is_ordered_by(note, version):
    assert ordered_version(note) == version


@pytest.mark.parametrize("start, going_out, reason", [
    (utc(2026, 12, 7, 15, 0), True, ""),
    (utc(2026, 12, 7, 15, 0), False, "the appointment was cancelled or moved before the reminder went out"),
    (utc(2026, 12, 7, 14, 0), True, "the appointment had already started"),
    (utc(2026, 12, 7, 13, 0), False, "the appointment had already started"),  # the first reason wins
    (None, True, ""),
])
def test_a_reminder_goes_out_only_for_a_visit_still_ahead_and_still_at_its_time(start, going_out, reason):
    assert skip_reason(start, NOW, going_out) == reason


@pytest.mark.parametrize("kind, status, method", [
    ("confirmation", "confirmed", "REQUEST"),
    ("reschedule", "confirmed", "REQUEST"),
    ("reschedule", "requested", None),  # moved before staff confirmed it: in no calendar yet
    ("confirmation", "cancelled", None),
    ("cancellation", "cancelled", "CANCEL"),
    ("cancellation", "requested", "CANCEL"),
    ("reminder", "confirmed", None),
    ("request_received", "requested", None),
])
def test_which_emails_carry_an_invitation(kind, status, method):
    assert invite_method(kind, status) == method


@pytest.mark.parametrize("keep, data", [
    (booking_snapshot, booking_data("b1")),
    (without_notes, {"id": "r1", "patient": {"name": "Ana"}, "notes": "anxious about needles"}),
])
def test_free_text_notes_are_never_kept_with_a_notification(keep, data):
    assert "notes" in data and "notes" not in keep(data)


def test_a_booking_keeps_what_its_messages_use_and_a_request_everything_but_notes():
    data = {**booking_data("b1"), "internal_flag": True}
    assert set(booking_snapshot(data)) == {"id", "status", "start", "end", "modality", "location", "service",
                                           "provider", "patient", "cancel_reason", "updated_at", "version"}
    request = {"id": "r1", "patient": {"name": "Ana"}, "service": {"name": "CBT"}, "notes": "x"}
    assert without_notes(request) == {"id": "r1", "patient": {"name": "Ana"}, "service": {"name": "CBT"}}
