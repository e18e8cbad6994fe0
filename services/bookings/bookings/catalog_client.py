"""Visit types and locations as the locations service shows them, over HTTP (bookings never reads its database).

Used to check the ids an appointment request names. Not cached: requests are few, and a request
must not be accepted against a location that was just retired.
"""
from __future__ import annotations

from urllib.parse import quote

import requests

from clinic_common.logs import current_request_id

from bookings.schedules import LocationsUnavailable


class CatalogClient:
    def __init__(self, base_url: str, timeout: tuple[float, float]):
        self._base, self._timeout = base_url.rstrip("/"), timeout
        self._session = requests.Session()

    def service(self, service_id: str) -> dict | None:
        """The visit type, or None when locations does not know it."""
        return self._get(f"/api/v1/services/{quote(service_id, safe='')}")

    def location(self, location_id: str) -> dict | None:
        """The location, or None when locations does not know it."""
        return self._get(f"/api/v1/locations/{quote(location_id, safe='')}")

    def lookup(self, service_id: str, location_ids: list[str]) -> tuple[dict | None, dict[str, dict | None]]:
        """(service, location id -> location) for one request; unknown ones are None."""
        return self.service(service_id), {location_id: self.location(location_id) for location_id in location_ids}

    def _get(self, path: str) -> dict | None:
        try:
            response = self._session.get(self._base + path, timeout=self._timeout,
                                         headers={"X-Request-ID": current_request_id()})
        except requests.RequestException:
            raise LocationsUnavailable("The practice's catalog could not be read; try again shortly.") from None
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise LocationsUnavailable("The practice's catalog could not be read; try again shortly.")
        return response.json()

    def close(self) -> None:
        self._session.close()
