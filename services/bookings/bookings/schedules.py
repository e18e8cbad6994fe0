"""Working windows from the locations service: one HTTP call, cached in this process.

The cache key includes the schedule epoch (store/epoch.py), which the bookings worker bumps
on every location.*, provider.* and service.* event: a change at locations makes every cached
answer unreachable at once, for the price of one small read per request. A TTL bounds the
cache even if an event were delayed.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from datetime import date
from urllib.parse import urlencode

from clinic_common.errors import Unprocessable

from bookings.locations_http import LocationsHttp


class ScheduleSource(LocationsHttp):
    def __init__(self, base_url: str, timeout: tuple[float, float], epoch, ttl_s: float = 300, max_entries: int = 512):
        super().__init__(base_url, timeout)
        self._epoch, self._ttl, self._max = epoch, ttl_s, max_entries
        self._cache: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def windows(self, location_id: str, first: date, last: date, service_id: str, provider_id: str | None = None,
                language: str | None = None, patient_state: str | None = None) -> dict:
        """The working-windows answer for these filters (see locations' API)."""
        params = {"from": first.isoformat(), "to": last.isoformat(), "service_id": service_id,
                  "provider_id": provider_id, "language": language, "patient_state": patient_state}
        query = urlencode({k: v for k, v in params.items() if v})
        key = (self._epoch.current(), location_id, query)
        cached = self._cached(key)
        if cached is not None:
            return cached
        answer = self._fetch(f"/api/v1/locations/{location_id}/working-windows?{query}")
        self._store(key, answer)
        return answer

    def _cached(self, key):
        with self._lock:
            hit = self._cache.get(key)
            if hit is None or hit[0] < time.monotonic():
                return None
            self._cache.move_to_end(key)
            return hit[1]

    def _store(self, key, answer: dict) -> None:
        with self._lock:
            self._cache[key] = (time.monotonic() + self._ttl, answer)
            while len(self._cache) > self._max:
                self._cache.popitem(last=False)

    def _fetch(self, path: str) -> dict:
        response = self._get(path)
        if response.status_code == 404:
            raise Unprocessable("Unknown location.", {"location_id": ["no such location"]})
        if response.status_code == 422:
            raise Unprocessable("The request cannot match any schedule.", response.json().get("errors"))
        return response.json()
