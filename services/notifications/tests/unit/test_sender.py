"""A sender's decisions around one claimed record, against fakes of its repositories and channel:
messages leave in version order, stale reminders are skipped, a channel that is off skips its messages."""
import pytest

from notifications.content import Composer
from notifications.delivery.sender import OFF_REASON, Sender
from notifications.domain.kept import booking_snapshot
from testsupport.notifications import booking_data, utc

NOW = utc(2026, 12, 6, 15, 0)  # the day before a 9:00 CST visit on 7 December
DUE = utc(2026, 12, 6, 15, 0)


class Reminders:
    def __init__(self, going_out: bool):
        self.going_out = going_out

    def still_going_out(self, reminder_id, due_at) -> bool:
        return self.going_out


def note(kind="confirmation", version=2, **fields) -> dict:
    data = booking_snapshot(booking_data("b1", version=version))
    return {"_id": f"e{version}:{kind}:email", "kind": kind, "channel": "email", "recipient": "ana@example.com",
            "booking_id": "b1", "booking_version": version, "data": data, "attempts": 0, **fields}


def reminder(start=utc(2026, 12, 7, 15, 0)) -> dict:
    record = note("reminder", version=1, offset_hours=24, reminder_id="b1:1440m", reminder_due=DUE,
                  appointment_start=start)
    del record["booking_version"]  # reminders take no part in the version order
    return record


def send_one(log, channel, *, going_out=True, channels=None) -> dict:
    sender = Sender(log, Reminders(going_out), Composer("appointments@clinic.example", "https://v.example/join"),
                    {"email": channel} if channels is None else channels, lambda: NOW, token="t", max_attempts=5,
                    retry_base_s=10.0, lease_s=60.0)
    assert sender.deliver_next()
    [(fields, _event)] = log.settled
    return fields


@pytest.mark.parametrize("oldest_unsettled, status", [(1, "pending"), (2, "sent"), (None, "sent")])
def test_a_message_waits_for_the_one_about_an_earlier_version(delivery_log, channel, oldest_unsettled, status):
    fields = send_one(delivery_log(note(version=2), oldest_unsettled), channel)
    assert (fields["status"], len(channel.sent)) == (status, 0 if status == "pending" else 1)
    if status == "pending":
        assert fields["attempts"] == 0  # waiting is not an attempt


@pytest.mark.parametrize("record, going_out, status, reason", [
    (reminder(), True, "sent", None),
    (reminder(), False, "skipped", "the appointment was cancelled or moved before the reminder went out"),
    (reminder(start=NOW), True, "skipped", "the appointment had already started"),
])
def test_a_reminder_is_checked_again_just_before_it_goes(delivery_log, channel, record, going_out, status, reason):
    fields = send_one(delivery_log(record, oldest_unsettled=1), channel, going_out=going_out)
    assert (fields["status"], fields["last_error"]) == (status, reason)
    assert len(channel.sent) == (1 if status == "sent" else 0)


def test_a_channel_that_is_off_skips_its_messages(delivery_log, channel):
    fields = send_one(delivery_log(note()), channel, channels={})
    assert (fields["status"], fields["last_error"]) == ("skipped", OFF_REASON["email"])


def test_nothing_claimable_means_nothing_to_do(delivery_log, channel):
    sender = Sender(delivery_log(None), Reminders(True), Composer("a@clinic.example", "https://v.example"), {},
                    lambda: NOW, token="t", max_attempts=5, retry_base_s=10.0, lease_s=60.0)
    assert sender.deliver_next() is False


def test_a_message_about_a_bookings_first_version_never_asks_the_store_about_its_order(delivery_log, channel):
    log = delivery_log(note(version=1), oldest_unsettled=None)
    log.oldest_unsettled_version = lambda *_: pytest.fail("a first version has nothing ahead of it")
    assert send_one(log, channel)["status"] == "sent"


def test_a_handed_over_id_is_claimed_by_id_and_a_stale_one_claims_nothing(delivery_log, channel):
    log = delivery_log(note(version=2), oldest_unsettled=None)
    sender = Sender(log, Reminders(True), Composer("appointments@clinic.example", "https://v.example/join"),
                    {"email": channel}, lambda: NOW, token="t", max_attempts=5, retry_base_s=10.0, lease_s=60.0)
    assert not sender.deliver("someone-else:confirmation:email")
    assert sender.deliver("e2:confirmation:email") and len(channel.sent) == 1
    assert not sender.deliver("e2:confirmation:email")  # already claimed: nothing twice
