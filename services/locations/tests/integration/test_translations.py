"""Catalog texts in Spanish (README: Translations of the catalog): staff write them through the usual
create and change routes, anyone reads them, bad shapes are refused whole, events carry them."""
import pytest

from clinic_common.runner import build_relay

from locations.config import OUTBOX_COLLECTIONS

GROUP = {"id": "group-therapy", "name": "Group therapy", "duration_minutes": 90, "modalities": ["in_person"],
         "provider_role": "therapist", "description": "A weekly group of up to eight people.",
         "translations": {"es": {"name": "Terapia de grupo", "description": "Un grupo semanal de hasta ocho personas."}}}
THERAPIST = {"name": "Ana Torres", "credentials": "LPC", "role": "therapist", "service_ids": ["therapy-cbt"],
             "languages": ["en", "es"], "licensed_states": ["AR"],
             "description": "Works with teens.", "translations": {"es": {"description": "Trabaja con adolescentes."}}}


def test_the_seeded_catalog_reads_in_spanish(client, seeded):
    cbt = client.get("/api/v1/services/therapy-cbt").json
    assert cbt["name"] == "Individual therapy: CBT"
    assert cbt["translations"]["es"]["name"] == "Terapia individual: cognitivo-conductual (TCC)"
    listed = {s["id"]: s for s in client.get("/api/v1/services").json["services"]}
    assert all(s["translations"]["es"]["name"] and s["translations"]["es"]["description"] for s in listed.values())
    assert listed["med-follow-up"]["translations"]["es"]["name"] == "Manejo de medicamentos: seguimiento"
    jonesboro = client.get("/api/v1/locations/jonesboro").json
    assert jonesboro["translations"] == {"es": {"name": "Clínica de Jonesboro"}}
    assert jonesboro["address"]["city"] == "Jonesboro"  # the town's name is not translated
    telehealth = client.get("/api/v1/locations").json["locations"][-1]
    assert telehealth["id"] == "telehealth" and telehealth["translations"]["es"]["name"] == "Telesalud"
    assert client.get("/api/v1/providers/hannah-brooks").json["translations"] == {}  # a person's name stays


def test_a_location_shows_its_phone_as_people_read_it(client, seeded):
    jonesboro = client.get("/api/v1/locations/jonesboro").json
    assert (jonesboro["phone"], jonesboro["phone_display"]) == ("+18705550100", "(870) 555-0100")
    windows = client.get("/api/v1/locations/jonesboro/working-windows?from=2026-12-07&to=2026-12-07"
                         "&service_id=therapy-cbt").json
    assert windows["location"]["phone_display"] == "(870) 555-0100"
    assert windows["service"]["translations"]["es"]["name"] == "Terapia individual: cognitivo-conductual (TCC)"


def test_staff_create_and_change_translations(client, seeded, staff):
    created = client.post("/api/v1/services", json=GROUP, headers=staff)
    assert created.status_code == 201, created.json
    assert created.json["translations"]["es"]["name"] == "Terapia de grupo"
    changed = client.patch("/api/v1/services/group-therapy", json={"translations": {"es": {"name": "Terapia grupal"}}},
                           headers=staff).json
    assert changed["translations"] == {"es": {"name": "Terapia grupal"}}  # a change replaces them all
    assert changed["description"] == "A weekly group of up to eight people."
    assert client.get("/api/v1/services/group-therapy").json["translations"]["es"]["name"] == "Terapia grupal"
    provider = client.post("/api/v1/providers", json=THERAPIST, headers=staff).json
    assert client.get(f"/api/v1/providers/{provider['id']}").json["translations"]["es"]["description"] == \
        "Trabaja con adolescentes."
    located = client.patch("/api/v1/locations/paragould", headers=staff, json={
        "description": "Parking behind the building.",
        "translations": {"es": {"name": "Clínica de Paragould", "description": "Estacionamiento detrás del edificio."}}})
    assert located.status_code == 200, located.json
    shown = client.get("/api/v1/locations/paragould").json
    assert shown["translations"]["es"]["description"] == "Estacionamiento detrás del edificio."
    assert shown["description"] == "Parking behind the building." and shown["hours"]["mon"]


@pytest.mark.parametrize("translations", [
    {"en": {"name": "Group therapy"}},            # English is the record's own fields
    {"fr": {"name": "Thérapie de groupe"}},       # a language the product does not speak
    {"es": {"nombre": "Terapia de grupo"}},       # an unknown text
    {"es": {}},                                   # nothing to say
    {"es": {"name": ""}},
    {"es": {"name": "x" * 121}},
    {"es": "Terapia de grupo"},
    ["es", "Terapia de grupo"],
])
@pytest.mark.parametrize("method, path, body", [
    ("post", "/api/v1/services", GROUP),
    ("patch", "/api/v1/services/therapy-cbt", {}),
    ("patch", "/api/v1/locations/jonesboro", {}),
    ("post", "/api/v1/providers", THERAPIST),
])
def test_bad_translations_are_422_and_change_nothing(client, seeded, staff, translations, method, path, body):
    before = {name: sorted((d["_id"], d["version"]) for d in seeded[name].find()) for name in ("services", "locations", "providers")}
    response = getattr(client, method)(path, json={**body, "translations": translations}, headers=staff)
    assert response.status_code == 422, response.json
    assert response.content_type == "application/problem+json" and "translations" in response.json["errors"]
    assert {name: sorted((d["_id"], d["version"]) for d in seeded[name].find()) for name in before} == before


def test_events_carry_the_translations_and_the_shown_phone(settings, client, seeded, staff, event_tap):
    relay = build_relay(settings, "locations", OUTBOX_COLLECTIONS)
    relay.relay_once()  # the seed's own announcements
    tap = event_tap("*.updated")
    client.patch("/api/v1/locations/ash-flat", json={"phone": "+18705550199"}, headers=staff)
    client.post("/api/v1/services", json=GROUP, headers=staff)
    client.post("/api/v1/providers", json=THERAPIST, headers=staff)
    assert relay.relay_once() == 3
    relay.close()
    got = {props.type: body["data"] for props, body in tap.drain(3)}
    assert got["location.updated"]["phone_display"] == "(870) 555-0199"
    assert got["location.updated"]["translations"] == {"es": {"name": "Clínica de Ash Flat"}}
    assert got["service.updated"]["translations"]["es"]["name"] == "Terapia de grupo"
    assert got["provider.updated"]["translations"] == {"es": {"description": "Trabaja con adolescentes."}}
