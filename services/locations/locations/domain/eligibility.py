"""Who may see a patient: the one place for role, service, language, modality and licensure rules.

- the provider's role is the one the visit type needs (therapist or prescriber) and offers that service;
- the provider speaks the requested language;
- the provider works at the location (has a schedule there);
- licensure follows the patient: by telehealth, the provider must be licensed in the state
  the patient will be in during the visit; in person, in the state where the clinic stands.
"""
from __future__ import annotations

from dataclasses import dataclass

from locations.domain.errors import UnknownService, UnmatchableRequest
from locations.domain.views import plain_view

TELEHEALTH, IN_PERSON = "telehealth", "in_person"


@dataclass(frozen=True)
class Request:
    location: dict
    service: dict | None = None
    provider_id: str | None = None
    language: str | None = None
    patient_state: str | None = None


def location_modality(location: dict) -> str:
    """A location whose only modality is telehealth is the telehealth 'location'."""
    return TELEHEALTH if location.get("modalities") == [TELEHEALTH] else IN_PERSON


def required_state(request: Request) -> str | None:
    if location_modality(request.location) == TELEHEALTH:
        return request.patient_state
    return (request.location.get("address") or {}).get("state")


def request_errors(request: Request) -> dict[str, list[str]]:
    """Refusals that concern the request itself, before any provider is looked at."""
    errors = {}
    modality = location_modality(request.location)
    if modality == TELEHEALTH and not request.patient_state:
        errors["patient_state"] = ["required for telehealth: providers must be licensed where the patient is"]
    if request.service is not None and modality not in request.service.get("modalities", []):
        errors["service_id"] = [f"'{request.service['name']}' is not offered {modality.replace('_', ' ')}"]
    return errors


def check_request(request: Request) -> None:
    errors = request_errors(request)
    if errors:
        raise UnmatchableRequest(errors)


def offered_service(service_id: str, doc: dict | None) -> dict:
    """The visit type asked for (its stored document, or None), as shown, if it is still offered."""
    if doc is None or doc.get("active") is False:
        raise UnknownService({"service_id": [f"no active service '{service_id}'"]})
    return plain_view(doc)


def is_eligible(provider: dict, request: Request) -> bool:
    if not provider.get("active", True):
        return False
    if request.provider_id and provider["id"] != request.provider_id:
        return False
    if not any((provider.get("schedules") or {}).get(request.location["id"], {}).values()):
        return False
    if request.service is not None and (
            provider.get("role") != request.service.get("provider_role")
            or request.service["id"] not in provider.get("service_ids", [])):
        return False
    if request.language and request.language not in provider.get("languages", []):
        return False
    state = required_state(request)
    return state is None or state in provider.get("licensed_states", [])
