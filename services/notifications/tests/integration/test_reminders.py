"""Reminders fire at the right local time across a DST change, once, on an injected clock (no sleeping
till the day before); a cancellation drops them, a reschedule moves them, a past visit gets none."""
import time
import uuid
from datetime import datetime, timedelta, timezone

from notifications.events.handlers import ORDER_WAIT_S

from testsupport.notifications import booking_data, utc
from testsupport.waiting import wait_for

SUNDAY_AFTER_FALL_BACK = "2026-11-01T09:00:00-06:00"  # Chicago left CDT (-05) at 02:00 that morning


def reminders(smtp):
    return [m for m in smtp.snapshot() if m["Subject"].startswith("Reminder")]


def quiet(predicate, seconds=0.6):
    """True if `predicate` stays false for a while (the dispatcher polls every 0.05 s)."""
    time.sleep(seconds)
    return not predicate()


def test_reminders_fire_at_local_time_across_the_dst_change(worker, publish, smtp, clock):
    clock.now = utc(2026, 10, 25, 12, 0)
    publish("booking.confirmed", booking_data(uuid.uuid4().hex, start=SUNDAY_AFTER_FALL_BACK,
                                              updated_at="2026-10-25T12:00:00+00:00"))
    assert wait_for(lambda: len(smtp.snapshot()) == 1)  # the confirmation

    # The day before, 9:00 local is 14:00 UTC (CDT); 24 elapsed hours would be 15:00 UTC, 10:00 local.
    clock.now = utc(2026, 10, 31, 13, 59)
    assert quiet(lambda: reminders(smtp))
    clock.now = utc(2026, 10, 31, 14, 0)
    assert wait_for(lambda: len(reminders(smtp)) == 1)
    [day_before] = reminders(smtp)
    assert day_before["Subject"] == "Reminder: your appointment tomorrow, 9:00 AM CST"
    assert "Sunday, November 1, 2026, 9:00 AM CST" in day_before.get_body(("plain",)).get_content()

    clock.now = utc(2026, 11, 1, 12, 59)  # 06:59 CST
    assert quiet(lambda: len(reminders(smtp)) > 1)
    clock.now = utc(2026, 11, 1, 13, 0)  # 07:00 CST, two hours before
    assert wait_for(lambda: len(reminders(smtp)) == 2)
    assert reminders(smtp)[1]["Subject"] == "Reminder: your appointment in 2 hours, 9:00 AM CST"

    clock.now = utc(2026, 11, 1, 14, 30)
    assert quiet(lambda: len(reminders(smtp)) > 2), "each reminder goes out once"


def test_a_cancellation_drops_the_reminders(worker, publish, smtp, clock, log_client):
    booking_id = uuid.uuid4().hex
    publish("booking.confirmed", booking_data(booking_id, updated_at="2026-12-01T12:00:00+00:00"))
    publish("booking.cancelled", booking_data(booking_id, status="cancelled", updated_at="2026-12-01T12:01:00+00:00", version=2))
    assert wait_for(lambda: len(smtp.snapshot()) == 2)
    clock.now = utc(2026, 12, 7, 14, 0)  # past both due times, before the visit
    assert quiet(lambda: reminders(smtp))
    assert sorted(r["kind"] for r in log_client(booking_id) if r["channel"] == "email") == ["cancellation",
                                                                                               "confirmation"]


def test_a_reschedule_moves_the_reminders(worker, publish, smtp, clock):
    booking_id = uuid.uuid4().hex
    publish("booking.confirmed", booking_data(booking_id, updated_at="2026-12-01T12:00:00+00:00"))
    publish("booking.rescheduled", booking_data(booking_id, start="2026-12-08T11:00:00-06:00",
                                                updated_at="2026-12-01T12:01:00+00:00", version=2))
    assert wait_for(lambda: len(smtp.snapshot()) == 2)
    clock.now = utc(2026, 12, 6, 15, 0)  # when the old 24 h reminder was due
    assert quiet(lambda: reminders(smtp))
    clock.now = utc(2026, 12, 7, 17, 0)  # 11:00 CST the day before the new time
    assert wait_for(lambda: len(reminders(smtp)) == 1)
    assert "Tuesday, December 8, 2026, 11:00 AM CST" in reminders(smtp)[0].get_body(("plain",)).get_content()


def test_an_event_that_arrives_late_does_not_move_reminders_back(worker, publish, smtp, clock):
    booking_id = uuid.uuid4().hex
    # The reschedule happened a while ago (longer than the handler waits for a missing predecessor): its
    # version 1 is not waited for, and the confirmation arrives truly late.
    long_ago = (datetime.now(timezone.utc) - timedelta(seconds=ORDER_WAIT_S + 5)).isoformat()
    publish("booking.rescheduled", booking_data(booking_id, start="2026-12-08T11:00:00-06:00",
                                                updated_at="2026-12-01T12:01:00+00:00", version=2),
            occurred_at=long_ago)
    assert wait_for(lambda: len(smtp.snapshot()) == 1)  # the reschedule is applied (two consumers: first)
    publish("booking.confirmed", booking_data(booking_id, updated_at="2026-12-01T12:00:00+00:00"))
    # The late confirmation is older than the reschedule already applied: it is not sent at all
    # (it used to be, after the reschedule notice: the defect of events applied out of order).
    assert quiet(lambda: len(smtp.snapshot()) > 1)
    clock.now = utc(2026, 12, 6, 15, 0)
    assert quiet(lambda: reminders(smtp))
    clock.now = utc(2026, 12, 7, 17, 0)
    assert wait_for(lambda: len(reminders(smtp)) == 1)


def test_no_reminder_for_a_visit_that_is_too_close_or_past(worker, publish, smtp, clock):
    clock.now = utc(2026, 12, 7, 14, 30)  # 08:30 CST: the 9:00 visit is half an hour away
    publish("booking.confirmed", booking_data(uuid.uuid4().hex))
    assert wait_for(lambda: len(smtp.snapshot()) == 1)
    clock.now = utc(2026, 12, 7, 16, 0)
    assert quiet(lambda: reminders(smtp))


def test_a_change_that_overtakes_the_one_before_it_waits_for_it_so_both_are_told_in_order(worker, publish, smtp):
    booking_id = uuid.uuid4().hex
    publish("booking.rescheduled", booking_data(booking_id, start="2026-12-08T11:00:00-06:00", version=2))
    publish("booking.confirmed", booking_data(booking_id))  # a moment behind: the reschedule waits for it
    assert wait_for(lambda: len(smtp.snapshot()) == 2, timeout_s=20)
    subjects = [message["Subject"] for message in smtp.snapshot()]
    assert subjects[0].startswith("Confirmed") and "December 8" in subjects[1], subjects
