"""POST /notifications/{id}/resend with the real worker, datastore, SMTP and SMS sinks: staff send a booking's
message again; the new record, linked to the original, is composed from the booking as it is now and sent by
the dispatcher; refusals are 409 with the reason; every attempt is audited."""
import pytest

from clinic_common.auth import issue_token
from clinic_common.versioned import new_id

from notifications import create_app
from testsupport.notifications import booking_data
from testsupport.waiting import wait_for


@pytest.fixture
def desk(make_app, worker_env, settings):
    client = make_app(create_app, **{k: v for k, v in worker_env.items() if k.startswith(("SMTP", "SMS"))}).test_client()
    headers = {"Authorization": "Bearer " + issue_token(settings.jwt_secret, "dana@clinic.example", "staff")}

    def resend(note_id, who=headers):
        return client.post(f"/api/v1/notifications/{note_id}/resend", headers=who)

    return resend


def _by_id(log_client, booking_id):
    return {r["id"]: r for r in log_client(booking_id)}


def test_a_sent_confirmation_goes_again_as_a_new_record_linked_to_it(worker, publish, smtp, log_client, desk,
                                                                    service_db):
    booking_id = new_id()
    publish("booking.confirmed", booking_data(booking_id))
    assert wait_for(lambda: {r["status"] for r in log_client(booking_id)} == {"sent"})
    publish("booking.rescheduled", booking_data(booking_id, start="2026-12-08T10:00:00-06:00", version=2,
                                                email="new@example.com"))
    assert wait_for(lambda: len(log_client(booking_id)) == 4 and {r["status"] for r in log_client(booking_id)} == {"sent"})
    original = next(r for r in log_client(booking_id) if r["kind"] == "confirmation" and r["channel"] == "email")
    answer = desk(original["id"])
    assert answer.status_code == 201, answer.json
    assert answer.json["resent_from"] == original["id"] and answer.json["status"] == "pending"
    assert answer.json["recipient"] == "n***@example.com"  # the booking's address now, not the original's
    assert wait_for(lambda: _by_id(log_client, booking_id)[answer.json["id"]]["status"] == "sent")
    last = smtp.snapshot()[-1]
    assert last["To"] == "new@example.com" and "December 8" in last.get_body(("plain",)).get_content()  # afresh
    [entry] = service_db("notifications").audit.find({"action": "notification.resend"})
    assert entry["actor"] == "dana@clinic.example" and entry["outcome"] == 201
    assert entry["target_ids"] == [original["id"], booking_id]


def test_refusals_are_409_with_the_reason_and_change_nothing(worker, publish, log_client, desk, settings):
    booking_id = new_id()
    publish("booking.confirmed", booking_data(booking_id, sms_consent=None))
    assert wait_for(lambda: {r["channel"]: r["status"] for r in log_client(booking_id)} == {"email": "sent",
                                                                                             "sms": "skipped"})
    sms = next(r for r in log_client(booking_id) if r["channel"] == "sms")
    refused = desk(sms["id"])
    assert refused.status_code == 409 and refused.content_type == "application/problem+json"
    assert "not agreed to texts" in refused.json["detail"] and refused.json["type"] == "/problems/resend-no-consent"
    publish("booking.cancelled", booking_data(booking_id, status="cancelled", version=2, sms_consent=None))
    assert wait_for(lambda: any(r["kind"] == "cancellation" for r in log_client(booking_id)))
    email = next(r for r in log_client(booking_id) if r["kind"] == "confirmation" and r["channel"] == "email")
    cancelled = desk(email["id"])
    assert cancelled.status_code == 409 and "cancelled" in cancelled.json["detail"]
    assert cancelled.json["type"] == "/problems/resend-inactive"
    assert not any(r.get("resent_from") for r in log_client(booking_id))
    assert desk("no-such-message").status_code == 404
    clinician = {"Authorization": "Bearer " + issue_token(settings.jwt_secret, "dr", "clinician", provider_id="x")}
    assert desk(email["id"], who=clinician).status_code == 403
    assert desk(email["id"], who={}).status_code == 401


def test_the_newest_booking_state_is_kept_whatever_order_events_are_stored_in(service_db):
    from datetime import datetime, timezone

    from notifications.store.resends import BookingStates

    states, booking_id, now = BookingStates(service_db("notifications")), new_id(), datetime.now(timezone.utc)
    states.keep(booking_id, 2, {"status": "cancelled"}, now)
    states.keep(booking_id, 1, {"status": "confirmed"}, now)  # a late copy of the first event
    assert states.get(booking_id) == {"status": "cancelled"}
    states.keep(booking_id, 3, {"status": "confirmed", "start": "later"}, now)
    assert states.get(booking_id) == {"status": "confirmed", "start": "later"}
