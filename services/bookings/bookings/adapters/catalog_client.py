"""Visit types and locations as the locations service shows them, over HTTP (bookings never reads its database).

Used to check the ids an appointment request names. Not cached: requests are few, and a request
must not be accepted against a location that was just retired. Each answer is translated here
into the domain's Offering: the rules in domain/requests.py never read locations' JSON.
"""
from __future__ import annotations

from urllib.parse import quote

from bookings.adapters.locations_http import LocationsHttp
from bookings.domain.requests import Offering


def offering_from(answer: dict) -> Offering:
    """A service or location answer; one that does not say it is inactive is in use."""
    return Offering(id=answer["id"], active=answer.get("active") is not False,
                    modalities=tuple(answer.get("modalities", [])))


class CatalogClient(LocationsHttp):

    def service(self, service_id: str) -> Offering | None:
        """The visit type, or None when locations does not know it."""
        return self._found(f"/api/v1/services/{quote(service_id, safe='')}")

    def location(self, location_id: str) -> Offering | None:
        """The location, or None when locations does not know it."""
        return self._found(f"/api/v1/locations/{quote(location_id, safe='')}")

    def lookup(self, service_id: str, location_ids: list[str]) -> tuple[Offering | None, dict[str, Offering | None]]:
        """(service, location id -> location) for one request; unknown ones are None."""
        return self.service(service_id), {location_id: self.location(location_id) for location_id in location_ids}

    def _found(self, path: str) -> Offering | None:
        response = self._get(path)
        return offering_from(response.json()) if response.status_code == 200 else None
