"""The one way bookings talks to the locations service: a pooled session, explicit timeouts, the
request id passed on, and every transport failure answered as 503 (bookings never reads
locations' database)."""
from __future__ import annotations

import requests

from clinic_common.errors import DomainError
from clinic_common.logs import current_request_id

UNAVAILABLE = "The practice's schedules could not be read; try again shortly."


class LocationsUnavailable(DomainError):
    status, slug, title = 503, "unavailable", "Service unavailable"


class LocationsHttp:
    # The answers a caller interprets itself; anything else means locations is not well.
    EXPECTED = (200, 404, 422)

    def __init__(self, base_url: str, timeout: tuple[float, float]):
        self._base, self._timeout = base_url.rstrip("/"), timeout
        self._session = requests.Session()

    def _get(self, path: str) -> requests.Response:
        try:
            response = self._session.get(self._base + path, timeout=self._timeout,
                                         headers={"X-Request-ID": current_request_id()})
        except requests.RequestException:
            raise LocationsUnavailable(UNAVAILABLE) from None
        if response.status_code not in self.EXPECTED:
            raise LocationsUnavailable(UNAVAILABLE)
        return response

    def close(self) -> None:
        self._session.close()
