"""docs/asyncapi.yaml against what the services really publish: every routing key of the contract
is documented, every message published while locations, bookings and notifications were driven
through their lives matches its documented schema, properties and headers, and carries no field
the document does not describe (the document itself stays open to additions, as API.md promises)."""
from __future__ import annotations

import copy
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = ROOT / "docs" / "asyncapi.yaml"
CONTRACT_KEYS = {  # API.md, Events
    "booking.requested", "booking.confirmed", "booking.rescheduled", "booking.cancelled", "booking.checked_in",
    "booking.completed", "booking.no_show", "appointment_request.created", "location.updated", "provider.updated",
    "service.updated", "notification.sent", "notification.failed"}
ADDED_KEYS = {"appointment_request.booked", "appointment_request.closed",  # beyond API.md's table, by bookings
              "series.created", "series.cancelled", "visit.booked", "visit.cancelled",  # API.md, Care journeys
              "waitlist.joined", "waitlist.offered", "waitlist.booked", "waitlist.expired",
              "booking.disrupted", "booking.disruption_cleared"}  # API.md, Changes, policy and disruptions

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def document() -> dict:
    return yaml.safe_load(DOCUMENT.read_text())


def messages_by_key(doc: dict) -> dict[str, str]:
    """Routing key -> the name of its message in components/messages."""
    found = {}
    for channel in doc["channels"].values():
        for ref in channel["messages"].values():
            found[channel["address"]] = ref["$ref"].rsplit("/", 1)[-1]
    return found


def closed(schema):
    """A copy in which every object schema that lists properties refuses others: catches undocumented fields."""
    schema = copy.deepcopy(schema)
    if isinstance(schema, dict):
        schema = {k: closed(v) for k, v in schema.items()}
        if schema.get("type") == "object" and "properties" in schema and "additionalProperties" not in schema:
            schema["additionalProperties"] = False
    elif isinstance(schema, list):
        schema = [closed(item) for item in schema]
    return schema


def format_checker() -> FormatChecker:
    checker = FormatChecker()
    checker.checks("date-time", raises=ValueError)(lambda v: not isinstance(v, str) or
                                                   datetime.fromisoformat(v).tzinfo is not None)
    checker.checks("date", raises=ValueError)(lambda v: not isinstance(v, str) or bool(date.fromisoformat(v)))
    return checker


def validator_for(doc: dict, message: str, strict: bool) -> Draft7Validator:
    contents = closed(doc) if strict else doc
    registry = Registry().with_resource("urn:asyncapi", Resource(contents=contents, specification=DRAFT7))
    schema = {"$ref": f"urn:asyncapi#/components/messages/{message}/payload"}
    return Draft7Validator(schema, registry=registry, format_checker=format_checker())


def test_the_document_describes_every_routing_key_of_the_contract(document):
    assert document["asyncapi"].startswith("3.")
    assert set(messages_by_key(document)) == CONTRACT_KEYS | ADDED_KEYS
    for channel in document["channels"].values():
        assert channel["bindings"]["amqp"]["$ref"] == "#/components/channelBindings/clinicEvents"
    exchange = document["components"]["channelBindings"]["clinicEvents"]["exchange"]
    assert (exchange["name"], exchange["type"], exchange["durable"]) == ("clinic.events", "topic", True)
    assert "python -m clinic_common.messaging.replay" in document["info"]["description"]


def test_everything_the_services_publish_is_documented_and_valid(document, published):
    by_key = messages_by_key(document)
    problems = []
    for key, props, body in published:
        if key not in by_key:
            problems.append(f"{key}: published but not documented")
            continue
        for strict in (False, True):
            for error in validator_for(document, by_key[key], strict).iter_errors(body):
                where = "/".join(map(str, error.absolute_path))
                problems.append(f"{key} {'(undocumented field) ' if strict else ''}at {where}: {error.message}")
    assert not sorted(set(problems)), "\n".join(sorted(set(problems)))


def test_every_message_carries_the_documented_properties_and_headers(published):
    for key, props, body in published:
        assert body["type"] == key == props.type
        assert props.content_type == "application/json" and props.delivery_mode == 2, key
        assert props.message_id == body["id"], key
        assert isinstance((props.headers or {}).get("request_id"), str), key


def test_every_documented_routing_key_was_published(document, published):
    assert set(messages_by_key(document)) == {key for key, _, _ in published}


def test_notification_events_never_carry_an_address(published):
    for key, _, body in published:
        if key.startswith("notification."):
            assert "@example.com" not in body["data"]["recipient"] or "***" in body["data"]["recipient"]
            assert "+1555" not in str(body["data"])
