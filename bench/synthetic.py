"""A synthetic practice of N providers at one clinic, for the benchmark, the proving ground and the tests
that count commands or time availability: built through the locations service's own rules and repositories."""
from __future__ import annotations

from locations.domain.changes import provider_document
from locations.store.catalog import ProviderRepository, ServiceRepository
from locations.store.locations import LocationRepository

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
LOCATION_ID, SERVICE_ID = "synthetic-clinic", "synthetic-visit"
MEDICATION_SERVICE_ID = "synthetic-medication"  # the second service of a combined visit (add_medication)


def build_practice(db, providers: int) -> list[str]:
    """Create the clinic, one visit type and `providers` therapists working there on weekdays."""
    hours = {d: [{"open": "08:00", "close": "17:00"}] for d in WEEKDAYS}
    LocationRepository.connect(db).create({
        "_id": LOCATION_ID, "name": "Synthetic Clinic", "timezone": "America/Chicago", "phone": None,
        "address": {"line1": "1 Test Rd", "city": "Jonesboro", "state": "AR", "postal_code": "72401"},
        "modalities": ["in_person"], "hours": {**{d: [] for d in ("sat", "sun")}, **hours}, "closures": [],
        "active": True})
    ServiceRepository.connect(db).create({
        "_id": SERVICE_ID, "name": "Synthetic visit", "duration_minutes": 50, "buffer_minutes": 10,
        "modalities": ["in_person"], "provider_role": "therapist", "requires_confirmation": False, "active": True})
    repository = ProviderRepository.connect(db)
    ids = [f"synthetic-{n:03d}" for n in range(providers)]
    for provider_id in ids:
        repository.create({"_id": provider_id, **provider_document({
            "name": f"Provider {provider_id}", "credentials": "LPC", "role": "therapist",
            "service_ids": [SERVICE_ID], "languages": ["en"], "licensed_states": ["AR"],
            "schedules": {LOCATION_ID: hours}, "active": True})})
    return ids


def add_medication(db, prescribers: int) -> list[str]:
    """Medication management at the practice build_practice made, and `prescribers` working there on weekdays:
    the second service a combined visit pairs with the first (therapy). Adds to the practice, changes nothing
    of it, so every figure built on build_practice alone is as before."""
    hours = {d: [{"open": "08:00", "close": "17:00"}] for d in WEEKDAYS}
    ServiceRepository.connect(db).create({
        "_id": MEDICATION_SERVICE_ID, "name": "Synthetic medication management", "duration_minutes": 30,
        "buffer_minutes": 0, "modalities": ["in_person"], "provider_role": "prescriber",
        "requires_confirmation": False, "active": True})
    repository = ProviderRepository.connect(db)
    ids = [f"synthetic-rx-{n:03d}" for n in range(prescribers)]
    for provider_id in ids:
        repository.create({"_id": provider_id, **provider_document({
            "name": f"Prescriber {provider_id}", "credentials": "PMHNP", "role": "prescriber",
            "service_ids": [MEDICATION_SERVICE_ID], "languages": ["en"], "licensed_states": ["AR"],
            "schedules": {LOCATION_ID: hours}, "active": True})})
    return ids


def windows_path(first: str, last: str) -> str:
    return (f"/api/v1/locations/{LOCATION_ID}/working-windows?from={first}&to={last}"
            f"&service_id={SERVICE_ID}")
