"""A booking keeps the visit type's and location's Spanish texts and the clinic's shown phone, as
locations answered them, so its events carry what a Spanish message needs."""
from datetime import datetime, timezone

import pytest

from bookings.adapters.working_windows import schedule_from_answer
from bookings.domain.booking import booking_document

ANSWER = {
    "location": {"id": "jonesboro", "name": "Jonesboro Clinic", "timezone": "America/Chicago", "phone": "+18705550100",
                 "phone_display": "(870) 555-0100", "address": {"line1": "2400 Caraway Rd", "city": "Jonesboro",
                                                                "state": "AR", "postal_code": "72401"},
                 "translations": {"es": {"name": "Clínica de Jonesboro"}}, "hours": {}, "closures": []},
    "service": {"id": "therapy-cbt", "name": "Individual therapy: CBT", "duration_minutes": 50, "buffer_minutes": 10,
                "requires_confirmation": False, "provider_role": "therapist",
                "translations": {"es": {"name": "Terapia individual: cognitivo-conductual (TCC)",
                                        "description": "Habilidades prácticas."}}},
    "modality": "in_person",
    "providers": [{"id": "hannah-brooks", "name": "Hannah Brooks", "credentials": "LCSW", "windows": []}],
}
REQUEST = {"start": datetime(2026, 12, 7, 15, tzinfo=timezone.utc), "provider_id": "hannah-brooks",
           "patient": {"name": "Ana", "language": "es"}}


def test_a_booking_keeps_the_catalog_texts_and_the_shown_phone():
    doc = booking_document(REQUEST, schedule_from_answer(ANSWER), booking_id="a" * 32, token_hash="h")
    assert doc["service"]["translations"] == {"es": {"name": "Terapia individual: cognitivo-conductual (TCC)",
                                                     "description": "Habilidades prácticas."}}
    assert doc["location"]["translations"] == {"es": {"name": "Clínica de Jonesboro"}}
    assert doc["location"]["phone_display"] == "(870) 555-0100" and doc["location"]["phone"] == "+18705550100"
    assert type(doc["service"]["translations"]["es"]) is dict  # storable: no read-only views reach the datastore


def test_the_cached_schedule_cannot_be_changed_through_a_booking():
    schedule = schedule_from_answer(ANSWER)
    doc = booking_document(REQUEST, schedule, booking_id="a" * 32, token_hash="h")
    doc["location"]["translations"]["es"]["name"] = "changed"
    assert schedule.location.translations["es"]["name"] == "Clínica de Jonesboro"
    with pytest.raises(TypeError):
        schedule.visit_type.translations["es"]["name"] = "changed"


def test_an_answer_without_them_gives_none():
    bare = {**ANSWER, "location": {k: v for k, v in ANSWER["location"].items() if k not in ("translations", "phone_display")},
            "service": {k: v for k, v in ANSWER["service"].items() if k != "translations"}}
    doc = booking_document(REQUEST, schedule_from_answer(bare), booking_id="a" * 32, token_hash="h")
    assert doc["service"]["translations"] == {} and doc["location"]["translations"] == {}
    assert doc["location"]["phone_display"] is None
