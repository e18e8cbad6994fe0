"""Visit types and locations as the locations service shows them, over HTTP (bookings never reads its database).

Used to check the ids an appointment request names. Not cached: requests are few, and a request
must not be accepted against a location that was just retired.
"""
from __future__ import annotations

from urllib.parse import quote

from bookings.adapters.locations_http import LocationsHttp


class CatalogClient(LocationsHttp):

    def service(self, service_id: str) -> dict | None:
        """The visit type, or None when locations does not know it."""
        return self._found(f"/api/v1/services/{quote(service_id, safe='')}")

    def location(self, location_id: str) -> dict | None:
        """The location, or None when locations does not know it."""
        return self._found(f"/api/v1/locations/{quote(location_id, safe='')}")

    def lookup(self, service_id: str, location_ids: list[str]) -> tuple[dict | None, dict[str, dict | None]]:
        """(service, location id -> location) for one request; unknown ones are None."""
        return self.service(service_id), {location_id: self.location(location_id) for location_id in location_ids}

    def _found(self, path: str) -> dict | None:
        response = self._get(path)
        return response.json() if response.status_code == 200 else None
