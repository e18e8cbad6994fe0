"""A series request that dies between its steps leaves nothing wrong once housekeeping has run:
never a booking without its span, never bookings without their confirmation (series.created),
never an `accept: all` series half-booked, no span blocked for a booking that never came."""
from datetime import datetime, timedelta, timezone

import pytest

from bookings import series_operations
from bookings.api.series import deps as series_deps
from bookings.reconcile import reconcile
from bookings.relay import housekeeping
from bookings.series_housekeeping import settle_series
from bookings.store.bookings import BookingRepository
from bookings.store.ledger import Ledger
from bookings.store.series import insert_bookings

from .test_series_api import series_body

LATER = datetime.now(timezone.utc) + timedelta(minutes=5)


class Killed(BaseException):
    """The process dies here: nothing in the request runs after it (not even `except Exception`)."""


def die(*_args, **_kwargs):
    raise Killed()


def create_until_killed(app, body):
    from bookings.api.series_schemas import SeriesCreateSchema

    with app.test_request_context():
        deps = series_deps()
        with pytest.raises(Killed):
            series_operations.create(deps, SeriesCreateSchema().load(body), "a" * 32, "token")
        return series_operations.Stores(deps.series, deps.bookings, deps.ledger)


def busy(db):
    doc = db.provider_ledgers.find_one({"_id": "hannah-brooks"}) or {}
    return doc.get("busy", [])


@pytest.mark.parametrize("step", ["claim", "insert"])
def test_dying_before_the_bookings_are_stored_is_undone(app, db, monkeypatch, step):
    if step == "claim":
        monkeypatch.setattr(Ledger, "claim", die)
    else:
        monkeypatch.setattr(series_operations, "insert_bookings", die)
    stores = create_until_killed(app, series_body(count=3))
    assert db.series.find_one()["status"] == "pending" and db.bookings.count_documents({}) == 0
    assert len(busy(db)) == (0 if step == "claim" else 3)
    monkeypatch.undo()

    assert settle_series(stores, now=datetime.now(timezone.utc)) == 0     # young: maybe a request in flight
    assert settle_series(stores, now=LATER) == 1
    assert db.series.find_one()["status"] == "failed" and db.series.find_one()["outbox"] == []
    assert busy(db) == [] and db.bookings.count_documents({}) == 0


def test_dying_after_the_bookings_are_stored_is_finished_with_its_confirmation(app, db, monkeypatch):
    monkeypatch.setattr(series_operations, "activate", die)
    stores = create_until_killed(app, series_body(count=3))
    assert db.bookings.count_documents({"series_id": "a" * 32}) == 3 and len(busy(db)) == 3
    monkeypatch.undo()

    settle_series(stores, now=LATER)
    series = db.series.find_one()
    assert series["status"] == "active" and [e["type"] for e in series["outbox"]] == ["series.created"]
    assert len(series["outbox"][0]["data"]["occurrences"]) == 3
    reconcile(Ledger(db), BookingRepository(db), now=LATER)                # agrees: every span is current
    assert len(busy(db)) == 3


def test_an_all_series_stored_in_part_is_undone_entirely(app, db, monkeypatch):
    def store_one_then_die(bookings, docs, event_type_of):
        insert_bookings(bookings, docs[:1], event_type_of)
        raise Killed()

    monkeypatch.setattr(series_operations, "insert_bookings", store_one_then_die)
    stores = create_until_killed(app, series_body(count=3))
    monkeypatch.undo()

    settle_series(stores, now=LATER)
    [booking] = db.bookings.find()
    assert booking["status"] == "cancelled" and booking["cancelled_with_series"] is True
    assert db.series.find_one()["status"] == "failed" and busy(db) == []


def test_an_available_series_stored_in_part_is_finished_with_what_was_stored(app, db, monkeypatch):
    def store_two_then_die(bookings, docs, event_type_of):
        insert_bookings(bookings, docs[:2], event_type_of)
        raise Killed()

    monkeypatch.setattr(series_operations, "insert_bookings", store_two_then_die)
    stores = create_until_killed(app, series_body(count=3, accept="available"))
    monkeypatch.undo()

    settle_series(stores, now=LATER)
    reconcile(Ledger(db), BookingRepository(db), now=LATER)   # the third claim's booking never came: freed
    series = db.series.find_one()
    assert series["status"] == "active" and len(series["occurrences"]) == 2
    assert sorted(e["b"] for e in busy(db)) == sorted(b["_id"] for b in db.bookings.find())


def test_a_cancel_that_died_among_the_bookings_is_finished(app, client, db, monkeypatch):
    created = client.post("/api/v1/series", json=series_body(count=3)).json
    calls = []

    def cancel_one_then_die(stores, booking_id, reason, *late):
        if calls:
            raise Killed()
        calls.append(booking_id)
        return original(stores, booking_id, reason, *late)

    original = series_operations.cancel_occurrence
    monkeypatch.setattr(series_operations, "cancel_occurrence", cancel_one_then_die)
    with app.test_request_context(), pytest.raises(Killed):
        series_operations.cancel(series_deps(), created["id"])
    monkeypatch.undo()
    assert db.bookings.count_documents({"status": "cancelled"}) == 1

    deps = _deps(app)
    settle_series(series_operations.Stores(deps.series, deps.bookings, deps.ledger), now=LATER)
    series = db.series.find_one()
    assert series["status"] == "cancelled" and series["outbox"][-1]["type"] == "series.cancelled"
    assert db.bookings.count_documents({"status": "cancelled", "cancelled_with_series": True}) == 3
    assert busy(db) == []


def test_the_relay_runs_series_housekeeping(app, db):
    housekeeping(db)()   # young series are left alone; nothing fails


def _deps(app):
    with app.test_request_context():
        return series_deps()
