"""Defect: a hung broker double-booked. The fast lane's publish failed after the booking was
committed with an exception nobody caught; the request then freed the slot and forgot its
Idempotency-Key, so the client's retry booked the same patient a second time.

Must hold: once a booking is committed, nothing frees its span or forgets its key.
"""
from bookings import create_app
from bookings.api import bookings as bookings_api

from .conftest import NOW


def _client(make_app, live_locations, amqp_url):
    return make_app(create_app, deps={"clock": lambda: NOW}, LOCATIONS_URL=live_locations,
                    OUTBOX_FAST_PATH="true", AMQP_URL=amqp_url, AMQP_TIMEOUT_S="1").test_client()


def _free_starts(client) -> set[str]:
    answer = client.get("/api/v1/availability?service_id=therapy-cbt&location_id=jonesboro&provider_id=hannah-brooks"
                        "&from=2026-12-07&to=2026-12-07").json
    return {slot["start"] for slot in answer["slots"]}


def test_with_a_hung_broker_a_retried_booking_is_booked_once(make_app, live_locations, hung_broker, db, booking_body):
    client = _client(make_app, live_locations, hung_broker.amqp_url)
    headers = {"Idempotency-Key": "hung-broker-1"}
    first = client.post("/api/v1/bookings", json=booking_body(), headers=headers)
    again = client.post("/api/v1/bookings", json=booking_body(), headers=headers)

    assert first.status_code == 201 and again.status_code == 201
    assert again.json["id"] == first.json["id"] and again.headers["Idempotent-Replayed"] == "true"
    assert db.bookings.count_documents({}) == 1
    assert [e["b"] for e in db.provider_ledgers.find_one({"_id": "hannah-brooks"})["busy"]] == [first.json["id"]]
    assert first.json["start"] not in _free_starts(client)


def test_a_failure_after_the_commit_keeps_the_slot_and_the_key(client, db, booking_body, monkeypatch):
    """Whatever fails after the booking is stored, the retry gets that booking and its manage token."""
    real_answer, calls = bookings_api.created_answer, []

    def answer_failing_once(doc, token):
        calls.append(doc["_id"])
        if len(calls) == 1:
            raise RuntimeError("the answer could not be built")
        return real_answer(doc, token)

    monkeypatch.setattr(bookings_api, "created_answer", answer_failing_once)
    headers = {"Idempotency-Key": "after-commit-1"}
    client.application.testing = False  # answer 500 as production does, instead of raising into the test
    assert client.post("/api/v1/bookings", json=booking_body(), headers=headers).status_code == 500

    retry = client.post("/api/v1/bookings", json=booking_body(), headers=headers)
    assert retry.status_code == 201, retry.json
    [stored] = db.bookings.find()
    assert retry.json["id"] == stored["_id"] == calls[0]
    assert [e["b"] for e in db.provider_ledgers.find_one({"_id": "hannah-brooks"})["busy"]] == [stored["_id"]]
    mine = client.get(f"/api/v1/bookings/{stored['_id']}", headers={"X-Manage-Token": retry.json["manage_token"]})
    assert mine.status_code == 200
