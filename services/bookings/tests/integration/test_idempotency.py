"""Idempotency-Key on POST /bookings: one booking per key, the original answer replayed, for 24 hours."""
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import requests

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)  # the integration apps' clock (conftest.py)


def _post(client, body, key):
    return client.post("/api/v1/bookings", json=body, headers={"Idempotency-Key": key})


def test_a_repeat_returns_the_original_booking_and_token(client, db, booking_body, unique):
    first = _post(client, booking_body(), unique)
    again = _post(client, booking_body(), unique)
    assert first.status_code == again.status_code == 201
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert db.bookings.count_documents({}) == 1
    assert first.json["manage_token"] not in str(list(db.idempotency_keys.find()))  # sealed, not stored plain
    assert unique not in str(list(db.idempotency_keys.find()))                       # nor the key itself


def test_concurrent_repeats_make_one_booking(app, serve, db, booking_body, unique):
    url = serve(app).url + "/api/v1/bookings"
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: requests.post(url, json=booking_body(), timeout=60,
                                                        headers={"Idempotency-Key": unique}), range(8)))
    assert {a.status_code for a in answers} == {201}
    assert len({a.json()["id"] for a in answers}) == 1
    assert db.bookings.count_documents({}) == 1


def test_the_same_key_with_another_body_is_422(client, db, booking_body, unique):
    assert _post(client, booking_body(), unique).status_code == 201
    other = _post(client, booking_body(start="2026-12-07T10:00:00-06:00"), unique)
    assert other.status_code == 422 and "Idempotency-Key" in other.json["errors"]
    assert db.bookings.count_documents({}) == 1


def test_a_refusal_is_remembered_too(client, book, booking_body, unique):
    book()
    assert _post(client, booking_body(), unique).status_code == 409
    assert _post(client, booking_body(), unique).status_code == 409


def test_keys_expire_after_24_hours(client, db, booking_body, unique):
    first = _post(client, booking_body(), unique).json
    db.idempotency_keys.update_many({}, {"$set": {"created_at": datetime.now(timezone.utc) - timedelta(hours=25)}})
    later = _post(client, booking_body(), unique)
    assert later.status_code == 409 and later.json["type"] == "/problems/conflict"  # a new request: the slot is taken
    assert db.bookings.count_documents({}) == 1 and first["id"]


def test_a_malformed_key_is_422_and_writes_nothing(client, db, booking_body):
    response = _post(client, booking_body(), "x" * 300)
    assert response.status_code == 422 and db.bookings.count_documents({}) == 0


def test_a_failure_to_reach_locations_is_not_remembered_a_retry_with_the_key_books(make_app, live_locations, db,
                                                                                 booking_body, unique):
    """A 503 says nothing about the request: the same key, once locations answers again, books."""
    from bookings import create_app

    down = make_app(create_app, deps={"clock": lambda: NOW}, LOCATIONS_URL="http://127.0.0.1:9").test_client()
    assert _post(down, booking_body(), unique).status_code == 503
    up = make_app(create_app, deps={"clock": lambda: NOW}, LOCATIONS_URL=live_locations).test_client()
    booked = _post(up, booking_body(), unique)
    assert booked.status_code == 201 and "Idempotent-Replayed" not in booked.headers
    assert db.bookings.count_documents({}) == 1
