"""The one way bookings talks to the locations service: clinic_common.http's pooled session
(explicit timeouts, no proxies from the environment, one retry of a failed connect), the request
id passed on, and every transport failure a SchedulesUnavailable refusal (shown as 503 by api/problems.py;
bookings never reads locations' database)."""
from __future__ import annotations

import requests

from clinic_common.http import SessionPool, Timeout
from clinic_common.logs import current_request_id

from bookings.domain.errors import SchedulesUnavailable

UNAVAILABLE = "The practice's schedules could not be read; try again shortly."


class LocationsHttp:
    # The answers a caller interprets itself; anything else means locations is not well.
    EXPECTED = (200, 404, 422)

    def __init__(self, base_url: str, timeout: Timeout):
        self._base = base_url.rstrip("/")
        self._sessions = SessionPool(timeout)

    def _get(self, path: str) -> requests.Response:
        try:
            response = self._sessions.session().get(self._base + path,
                                                     headers={"X-Request-ID": current_request_id()})
        except requests.RequestException:
            raise SchedulesUnavailable(UNAVAILABLE) from None
        if response.status_code not in self.EXPECTED:
            raise SchedulesUnavailable(UNAVAILABLE)
        return response

    def close(self) -> None:
        self._sessions.close()
