"""The write path's shortcuts against the real datastore: reminders of a new booking inserted in one round
trip (the existing ones reported, untouched), and a record claimed by id only while it is pending and due."""
from datetime import datetime, timedelta, timezone

from notifications.store.notifications import NotificationRepository
from notifications.store.reminders import ReminderRepository

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


def test_new_reminders_go_in_one_insert_and_existing_ones_are_reported_untouched(mongo_db):
    reminders = ReminderRepository.connect(mongo_db)
    assert reminders.insert_new({"b1:1440m": {"version": 2, "status": "scheduled"}}) == set()
    existing = reminders.insert_new({"b1:1440m": {"version": 1, "status": "scheduled"},
                                     "b1:120m": {"version": 1, "status": "scheduled"}})
    assert existing == {"b1:1440m"}
    assert reminders.get("b1:1440m")["version"] == 2 and reminders.get("b1:120m")["version"] == 1


def test_a_record_is_claimed_by_id_only_while_pending_and_due(mongo_db):
    notes = NotificationRepository.connect(mongo_db)
    notes.record([{"_id": "e1:confirmation:email", "channel": "email"},
                  {"_id": "e1:confirmation:sms", "channel": "sms", "status": "skipped", "last_error": "off"}], NOW)
    assert notes.claim_by_id("e1:confirmation:sms", NOW, 60, "t") is None  # stored skipped: never claimed
    assert notes.claim_by_id("e1:confirmation:email", NOW - timedelta(seconds=1), 60, "t") is None  # not yet due
    claimed = notes.claim_by_id("e1:confirmation:email", NOW, 60, "t")
    assert (claimed["status"], claimed["attempts"], claimed["claim"]) == ("sending", 1, "t")
    assert notes.claim_by_id("e1:confirmation:email", NOW, 60, "u") is None  # one sender only
