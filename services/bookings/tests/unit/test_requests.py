"""Appointment requests without I/O: the body's shape, the cross-field rules, the catalog's verdict, the life."""
from datetime import datetime, timezone

import pytest
from marshmallow import ValidationError

from clinic_common.errors import Conflict, Unprocessable

from bookings.adapters.catalog_client import offering_from
from bookings.api.problems import problem_for
from bookings.api.request_schemas import AppointmentRequestCreateSchema, AppointmentRequestSchema
from bookings.domain.errors import RequestInvalid, RequestNotOpen
from bookings.domain.requests import (booked, booking_request, catalog_errors, closed, is_request_id, new_request_id,
                                      request_document)

PATIENT = {"name": "Ana Diaz", "email": "ana@example.com", "phone": "+15555550123", "language": "es", "state": "AR"}
VALID = {"patient": PATIENT, "service_id": "therapy-cbt", "modality": "in_person", "location_ids": ["paragould"],
         "preferred_days": ["tue"], "preferred_times": ["morning"], "notes": "please call after 5"}
SERVICE = {"id": "therapy-cbt", "modalities": ["in_person", "telehealth"], "active": True}
CLINIC = {"id": "paragould", "modalities": ["in_person"], "active": True}
TELEHEALTH = {"id": "telehealth", "modalities": ["telehealth"], "active": True}


def parsed(**changes):
    return AppointmentRequestCreateSchema().load({**VALID, **changes})


def document(**changes):
    return request_document(parsed(**changes), "a" * 32)


@pytest.mark.parametrize("changes, field", [
    ({"patient": {**PATIENT, "language": "fr"}}, "patient"),
    ({"patient": {**PATIENT, "email": "nope"}}, "patient"),
    ({"patient": {**PATIENT, "phone": "555 0123"}}, "patient"),
    ({"patient": {**PATIENT, "state": "XX"}}, "patient"),
    ({"patient": {k: v for k, v in PATIENT.items() if k != "name"}}, "patient"),
    ({"service_id": ""}, "service_id"),
    ({"service_id": "../locations"}, "service_id"),
    ({"modality": "phone"}, "modality"),
    ({"modality": None}, "modality"),
    ({"location_ids": "paragould"}, "location_ids"),
    ({"location_ids": ["para gould"]}, "location_ids"),
    ({"location_ids": [f"clinic-{i}" for i in range(11)]}, "location_ids"),
    ({"preferred_days": ["monday"]}, "preferred_days"),
    ({"preferred_days": ["Mon"]}, "preferred_days"),
    ({"preferred_times": ["night"]}, "preferred_times"),
    ({"notes": "x" * 2001}, "notes"),
    ({"surprise": 1}, "surprise"),
])
def test_the_schema_refuses(changes, field):
    with pytest.raises(ValidationError) as refused:
        parsed(**changes)
    assert field in refused.value.messages


def test_modality_and_patient_are_required():
    for missing in ("modality", "patient", "service_id"):
        with pytest.raises(ValidationError) as refused:
            AppointmentRequestCreateSchema().load({k: v for k, v in VALID.items() if k != missing})
        assert missing in refused.value.messages


@pytest.mark.parametrize("changes, expected", [
    ({}, {"location_ids": ["paragould"], "preferred_days": ["tue"], "preferred_times": ["morning"]}),
    ({"modality": "telehealth", "location_ids": []}, {"location_ids": ["telehealth"]}),
    ({"modality": "telehealth"}, {"location_ids": ["paragould"]}),  # a choice the locations service judges
    ({"location_ids": ["paragould", "jonesboro", "paragould"]}, {"location_ids": ["paragould", "jonesboro"]}),
    ({"preferred_days": ["fri", "mon", "fri"]}, {"preferred_days": ["mon", "fri"]}),
    ({"preferred_days": [], "preferred_times": []}, {"preferred_days": [], "preferred_times": []}),
    ({"preferred_times": ["evening", "morning"]}, {"preferred_times": ["morning", "evening"]}),
    ({"notes": None}, {"notes": None}),
    ({"notes": "x" * 2000}, {"notes": "x" * 2000}),
])
def test_a_new_request_is_open_and_tidy(changes, expected):
    doc = document(**changes)
    assert doc["status"] == "open" and doc["_id"] == "a" * 32 and doc["booking_id"] is None
    assert doc["patient"] == PATIENT and doc["service_id"] == "therapy-cbt"
    assert {k: doc[k] for k in expected} == expected


def test_in_person_needs_a_location():
    with pytest.raises(RequestInvalid) as refused:
        document(location_ids=[])
    assert "location_ids" in refused.value.errors
    assert isinstance(problem_for(refused.value), Unprocessable)


@pytest.mark.parametrize("modality, location_ids, service, locations, expected", [
    ("in_person", ["paragould"], SERVICE, {"paragould": CLINIC}, {}),
    ("telehealth", ["telehealth"], SERVICE, {"telehealth": TELEHEALTH}, {}),
    ("in_person", ["paragould"], None, {"paragould": CLINIC}, {"service_id": ["no such service"]}),
    ("in_person", ["paragould"], {**SERVICE, "active": False}, {"paragould": CLINIC},
     {"service_id": ["no such service"]}),
    ("telehealth", ["telehealth"], {**SERVICE, "modalities": ["in_person"]}, {"telehealth": TELEHEALTH},
     {"service_id": ["is not offered as telehealth"]}),
    ("in_person", ["paragould", "nowhere"], SERVICE, {"paragould": CLINIC, "nowhere": None},
     {"location_ids": ["nowhere: no such location"]}),
    ("in_person", ["paragould"], SERVICE, {"paragould": {**CLINIC, "active": False}},
     {"location_ids": ["paragould: no such location"]}),
    ("in_person", ["telehealth"], SERVICE, {"telehealth": TELEHEALTH},
     {"location_ids": ["telehealth: does not offer in_person"]}),
    ("telehealth", ["paragould"], SERVICE, {"paragould": CLINIC},
     {"location_ids": ["paragould: does not offer telehealth"]}),
])
def test_the_catalog_verdict(modality, location_ids, service, locations, expected):
    doc = {"modality": modality, "location_ids": location_ids}
    offered = {location_id: answer and offering_from(answer) for location_id, answer in locations.items()}
    assert catalog_errors(doc, service and offering_from(service), offered) == expected


@pytest.mark.parametrize("change", [lambda r: booked(r, "b" * 32), lambda r: closed(r, "reached by phone")])
@pytest.mark.parametrize("status", ["booked", "closed"])
def test_only_an_open_request_changes(change, status):
    with pytest.raises(RequestNotOpen) as refused:
        change({**document(), "status": status})
    assert isinstance(problem_for(refused.value), Conflict)


def test_booking_and_closing_an_open_request():
    doc = document()
    assert booked(doc, "b" * 32) == {**doc, "status": "booked", "booking_id": "b" * 32}
    assert closed(doc, "found care elsewhere") == {**doc, "status": "closed", "close_reason": "found care elsewhere"}
    assert doc["status"] == "open"  # the current version is never changed in place


def test_a_booking_is_made_with_the_request_patient_and_service():
    start = datetime(2026, 12, 7, 15, tzinfo=timezone.utc)
    wanted = booking_request(document(), {"provider_id": "hannah-brooks", "location_id": "jonesboro", "start": start})
    assert wanted == {"service_id": "therapy-cbt", "provider_id": "hannah-brooks", "location_id": "jonesboro",
                      "start": start, "patient": PATIENT, "notes": "please call after 5"}


def request_view(doc):
    """The request as the API shows it: its schema, dumping the stored document."""
    return AppointmentRequestSchema().dump(doc)


def test_the_view_is_json_ready():
    stamp = datetime(2026, 12, 1, 12, tzinfo=timezone.utc)
    view = request_view({**document(), "version": 3, "outbox": [{}], "created_at": stamp, "updated_at": stamp})
    assert view["id"] == "a" * 32 and "_id" not in view and "outbox" not in view and "version" not in view
    assert view["created_at"] == "2026-12-01T12:00:00+00:00"


def test_request_ids():
    assert is_request_id(new_request_id()) and new_request_id() != new_request_id()
    assert not any(is_request_id(v) for v in ("", "x" * 32, "A" * 32, "a" * 31, None))
