"""Idempotency-Key on POST /series, as on POST /bookings and POST /visits: one series per key, the first
answer (with its manage token) replayed, another body 422, and a retry whose first try's outcome is
unknown resuming that try (same series id and token): it finds the series or finishes it."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
import requests

from bookings import series_operations
from bookings.domain.tokens import hash_token
from bookings.series_housekeeping import GRACE
from bookings.store.series import SeriesRepository

from .test_series_api import series_body


class Killed(BaseException):
    """The request dies here: nothing after it runs (the key store marks the outcome unknown)."""


def die(*_args, **_kwargs):
    raise Killed()


def post(client, body, key):
    return client.post("/api/v1/series", json=body, headers={"Idempotency-Key": key})


def held(db) -> int:
    return sum(len(doc.get("busy", [])) for doc in db.provider_ledgers.find())


def test_a_repeat_returns_the_original_series_and_token(client, db, unique):
    first = post(client, series_body(count=3), unique)
    again = post(client, series_body(count=3), unique)
    assert first.status_code == again.status_code == 201, first.json
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert db.series.count_documents({}) == 1 and db.bookings.count_documents({}) == 3 and held(db) == 3
    stored = str(list(db.idempotency_keys.find()))
    assert first.json["manage_token"] not in stored and unique not in stored  # sealed, and only the key's hash


def test_without_a_key_each_post_is_a_new_request(client, db):
    assert client.post("/api/v1/series", json=series_body(count=2)).status_code == 201
    assert client.post("/api/v1/series", json=series_body(count=2)).status_code == 409  # its own visits, taken
    assert db.series.count_documents({"status": "active"}) == 1


def test_concurrent_repeats_make_one_series(app, serve, db, unique):
    url = serve(app).url + "/api/v1/series"
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: requests.post(url, json=series_body(count=3), timeout=60,
                                                        headers={"Idempotency-Key": unique}), range(8)))
    assert {a.status_code for a in answers} == {201}, [a.text for a in answers]
    assert len({a.json()["id"] for a in answers}) == 1 and len({a.json()["manage_token"] for a in answers}) == 1
    assert db.series.count_documents({}) == 1 and db.bookings.count_documents({}) == 3 and held(db) == 3


def test_the_same_key_with_another_body_is_422_and_writes_nothing(client, db, unique):
    assert post(client, series_body(count=3), unique).status_code == 201
    other = post(client, series_body(count=3, start="2026-12-07T11:00:00-06:00"), unique)
    assert other.status_code == 422 and other.content_type == "application/problem+json"
    assert "Idempotency-Key" in other.json["errors"]
    assert db.series.count_documents({}) == 1 and db.bookings.count_documents({}) == 3


def test_a_refusal_is_remembered_and_a_malformed_key_is_422(client, db, book, unique):
    book(start="2026-12-14T10:00:00-06:00")
    assert post(client, series_body(count=3), unique).status_code == 409
    assert post(client, series_body(count=3), unique).status_code == 409
    assert post(client, series_body(count=3), "x" * 300).status_code == 422
    assert db.series.count_documents({}) == 0


def test_a_retry_after_a_death_before_anything_was_written_books_it(client, db, monkeypatch, unique):
    monkeypatch.setattr(SeriesRepository, "create_pending", die)
    with pytest.raises(Killed):
        post(client, series_body(count=3), unique)
    monkeypatch.undo()
    assert db.series.count_documents({}) == 0
    retried = post(client, series_body(count=3), unique)
    assert retried.status_code == 201 and "Idempotent-Replayed" not in retried.headers
    assert db.series.count_documents({}) == 1 and db.bookings.count_documents({}) == 3
    assert post(client, series_body(count=3), unique).json == retried.json


def test_a_retry_after_an_unknown_outcome_finds_the_series_the_first_try_booked(client, db, monkeypatch, unique):
    real_create = series_operations.create

    def booked_then_died(*args, **kwargs):
        real_create(*args, **kwargs)
        raise Killed()  # committed, but the answer never left

    monkeypatch.setattr(series_operations, "create", booked_then_died)
    with pytest.raises(Killed):
        post(client, series_body(count=3), unique)
    monkeypatch.undo()
    [series] = list(db.series.find())
    assert series["status"] == "active"

    retried = post(client, series_body(count=3), unique)
    assert retried.status_code == 201, retried.json
    answer = retried.json
    assert answer["id"] == series["_id"] and hash_token(answer["manage_token"]) == series["manage_token_hash"]
    assert [b["id"] for b in answer["bookings"]] == [o["booking_id"] for o in series["occurrences"]]
    assert db.series.count_documents({}) == 1 and db.bookings.count_documents({}) == 3 and held(db) == 3
    assert post(client, series_body(count=3), unique).json == answer


def test_a_retry_finishes_a_series_whose_first_try_died_after_storing_its_bookings(client, db, monkeypatch,
                                                                                   unique):
    monkeypatch.setattr(series_operations, "activate", die)
    with pytest.raises(Killed):
        post(client, series_body(count=3, accept="available"), unique)
    monkeypatch.undo()
    assert db.series.find_one()["status"] == "pending" and db.bookings.count_documents({}) == 3

    retried = post(client, series_body(count=3, accept="available"), unique)
    assert retried.status_code == 201, retried.json
    series = db.series.find_one()
    assert series["status"] == "active" and [e["type"] for e in series["outbox"]] == ["series.created"]
    assert retried.json["id"] == series["_id"]
    assert hash_token(retried.json["manage_token"]) == series["manage_token_hash"]
    assert len(retried.json["bookings"]) == 3 and retried.json["skipped"] == []
    token = {"X-Manage-Token": retried.json["manage_token"]}
    assert client.get(f"/api/v1/series/{series['_id']}", headers=token).status_code == 200
    assert db.bookings.count_documents({}) == 3 and held(db) == 3


def test_a_retry_never_undoes_a_young_half_done_series_and_settles_an_old_one(client, db, monkeypatch, unique):
    """Claimed but nothing stored: the first try might still be storing, so a retry decides nothing (503,
    not remembered) until housekeeping's grace has passed; then the series is undone and the key says so."""
    monkeypatch.setattr(series_operations, "insert_bookings", die)
    with pytest.raises(Killed):
        post(client, series_body(count=3), unique)
    monkeypatch.undo()
    assert db.series.find_one()["status"] == "pending" and held(db) == 3

    early = post(client, series_body(count=3), unique)
    assert early.status_code == 503 and early.content_type == "application/problem+json", early.json
    assert db.series.find_one()["status"] == "pending" and held(db) == 3

    db.series.update_many({}, {"$set": {"updated_at": datetime.now(timezone.utc) - GRACE - timedelta(seconds=1)}})
    late = post(client, series_body(count=3), unique)
    assert late.status_code == 409 and "book again" in late.json["detail"]
    assert db.series.find_one()["status"] == "failed" and held(db) == 0 and db.bookings.count_documents({}) == 0
    assert post(client, series_body(count=3), unique).status_code == 409  # remembered
    assert client.post("/api/v1/series", json=series_body(count=3)).status_code == 201  # the times are free
