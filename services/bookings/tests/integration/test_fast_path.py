"""The outbox's fast lane: a booking's event leaves with the request; the relay is the safety net."""
from datetime import datetime, timezone

from clinic_common.runner import build_relay

from bookings import create_app
from bookings.config import OUTBOX_COLLECTIONS

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
DEAD_BROKER = "amqp://guest:guest@127.0.0.1:1/%2F"


def _client(make_app, live_locations, **env):
    return make_app(create_app, deps={"clock": lambda: NOW}, LOCATIONS_URL=live_locations,
                    OUTBOX_FAST_PATH="true", **env).test_client()


def test_the_request_publishes_its_own_event(make_app, live_locations, db, booking_body, event_tap):
    tap = event_tap("booking.*")
    created = _client(make_app, live_locations).post("/api/v1/bookings", json=booking_body()).json
    [(props, body)] = tap.drain(1)
    assert body["data"]["id"] == created["id"] and props.message_id == body["id"]
    assert db.bookings.find_one({"_id": created["id"]})["outbox"] == []


def test_with_the_broker_away_the_booking_stands_and_the_relay_publishes_it_later(
        settings, make_app, live_locations, db, booking_body, event_tap):
    tap = event_tap("booking.*")
    response = _client(make_app, live_locations, AMQP_URL=DEAD_BROKER).post("/api/v1/bookings", json=booking_body())
    assert response.status_code == 201
    assert [e["type"] for e in db.bookings.find_one({"_id": response.json["id"]})["outbox"]] == ["booking.confirmed"]

    young = build_relay(settings.with_overrides(outbox_fast_path=True, outbox_grace_s=60), "bookings", OUTBOX_COLLECTIONS)
    assert young.relay_once() == 0  # within the grace period the event is left to the fast lane
    young.close()
    relay = build_relay(settings, "bookings", OUTBOX_COLLECTIONS)
    assert relay.relay_once() == 1
    relay.close()
    assert [body["data"]["id"] for _, body in tap.drain(1)] == [response.json["id"]]
