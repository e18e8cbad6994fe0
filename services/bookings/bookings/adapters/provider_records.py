"""Providers as the practice's catalog lists them (GET /providers/{id} at locations), translated into
the domain's ProviderRecord. Asked only when a series' provider is missing from the working windows,
to tell "not licensed where the patient is" (each occurrence `not_licensed`) from "never sees this"."""
from __future__ import annotations

from urllib.parse import quote

from bookings.adapters.locations_http import LocationsHttp
from bookings.domain.series import ProviderRecord


def record_from(answer: dict) -> ProviderRecord:
    return ProviderRecord(id=answer["id"], active=answer.get("active") is not False,
                          service_ids=frozenset(answer.get("service_ids") or ()),
                          location_ids=frozenset(k for k, hours in (answer.get("schedules") or {}).items()
                                                 if any(hours.values())),
                          licensed_states=frozenset(answer.get("licensed_states") or ()))


class ProviderRecords(LocationsHttp):
    def record(self, provider_id: str) -> ProviderRecord | None:
        response = self._get(f"/api/v1/providers/{quote(provider_id, safe='')}")
        return record_from(response.json()) if response.status_code == 200 else None
