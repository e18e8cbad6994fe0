import json

import pytest
from flask import Flask

from clinic_common.errors import Conflict, register_error_handlers
from clinic_common.events import EnvelopeError, Event, parse_envelope
from clinic_common.messaging.outbox import with_pending
from clinic_common.worker import Backoff


def test_envelope_has_exactly_the_contract_fields():
    event = Event(type="booking.confirmed", data={"id": "b1"}, request_id="r1")
    assert set(event.envelope()) == {"id", "type", "version", "occurred_at", "data"}
    assert parse_envelope(event.envelope(), "r1") == event


def test_outbox_form_round_trips_with_its_request_id():
    event = Event(type="booking.cancelled", data={"id": "b1"}, request_id="req-9")
    assert Event.from_outbox(event.to_outbox()) == event


@pytest.mark.parametrize("body", [[], "x", {"id": "e"}, {"id": "", "type": "t", "version": 1, "occurred_at": "", "data": {}},
                                  {"id": "e", "type": "t", "version": 1, "occurred_at": "", "data": []}])
def test_malformed_envelopes_are_refused(body):
    with pytest.raises(EnvelopeError):
        parse_envelope(body)


def test_with_pending_adds_events_to_the_same_update():
    event = Event(type="booking.cancelled", data={})
    update = with_pending({"$set": {"status": "cancelled"}}, event)
    assert update["$set"] == {"status": "cancelled"}
    assert update["$push"]["outbox"]["$each"][0]["id"] == event.id


def test_backoff_grows_to_its_cap_and_resets():
    backoff = Backoff(1, 5)
    assert [backoff.next() for _ in range(5)] == [1, 2, 4, 5, 5]
    backoff.reset()
    assert backoff.next() == 1


def _app():
    app = Flask("t")
    register_error_handlers(app)

    @app.get("/conflict")
    def conflict():
        raise Conflict("That slot was just taken.")

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    return app.test_client()


def test_domain_errors_are_problem_json():
    response = _app().get("/conflict")
    assert response.status_code == 409
    assert response.content_type == "application/problem+json"
    body = json.loads(response.data)
    assert body["type"] == "/problems/conflict" and body["detail"] == "That slot was just taken."


def test_unexpected_errors_never_leak_internals():
    response = _app().get("/boom")
    assert response.status_code == 500
    assert b"secret internals" not in response.data and b"Traceback" not in response.data


def test_unknown_routes_and_methods_are_problem_json():
    client = _app()
    assert client.get("/nowhere").content_type == "application/problem+json"
    response = client.post("/conflict")
    assert response.status_code == 405 and "GET" in response.headers["Allow"]


@pytest.mark.parametrize("body", [{"id": "e", "type": "", "version": 1, "occurred_at": "", "data": {}},
                                  {"id": "e", "type": "t", "version": "1", "occurred_at": "", "data": {}},
                                  {"id": 7, "type": "t", "version": 1, "occurred_at": "", "data": {}}])
def test_the_envelope_schema_refuses_what_the_contract_does_not_allow(body):
    with pytest.raises(EnvelopeError, match="not an event envelope"):
        parse_envelope(body)


def test_fields_beyond_the_envelope_are_ignored_not_refused():
    event = Event(type="booking.confirmed", data={"id": "b1"})
    assert parse_envelope({**event.envelope(), "extra": True}) == event
