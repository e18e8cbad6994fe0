"""Working windows from the locations service: one HTTP call, translated once, cached in this process.

The cache key includes the schedule epoch (store/epoch.py), which the bookings worker bumps on
every location.*, provider.* and service.* event (events/handlers.py): a change at locations makes
every cached answer unreachable at once, for the price of one small read per request. The TTL
bounds the cache even if an event were delayed; past `max_entries` the least recently used goes.
What is cached is an immutable Schedule, so the threads that share it cannot disturb each other.
"""
from __future__ import annotations

import threading
from datetime import date
from urllib.parse import urlencode

from cachetools import TTLCache

from bookings.adapters.locations_http import LocationsHttp
from bookings.adapters.working_windows import schedule_from_answer
from bookings.domain.errors import NoMatchingSchedule, UnknownLocation
from bookings.domain.schedule import Schedule


class ScheduleSource(LocationsHttp):
    def __init__(self, base_url: str, timeout: tuple[float, float], epoch, ttl_s: float = 300, max_entries: int = 512):
        super().__init__(base_url, timeout)
        self._epoch = epoch
        self._cache: TTLCache = TTLCache(maxsize=max_entries, ttl=ttl_s)
        self._lock = threading.Lock()  # cachetools' caches are not thread-safe

    def windows(self, location_id: str, first: date, last: date, service_id: str, provider_id: str | None = None,
                language: str | None = None, patient_state: str | None = None) -> Schedule:
        """Who works when, for these filters (see locations' working-windows API)."""
        params = {"from": first.isoformat(), "to": last.isoformat(), "service_id": service_id,
                  "provider_id": provider_id, "language": language, "patient_state": patient_state}
        query = urlencode({k: v for k, v in params.items() if v})
        key = (self._epoch.current(), location_id, query)
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None:
            return cached
        schedule = schedule_from_answer(self._fetch(f"/api/v1/locations/{location_id}/working-windows?{query}"))
        with self._lock:
            self._cache[key] = schedule
        return schedule

    def _fetch(self, path: str) -> dict:
        response = self._get(path)
        if response.status_code == 404:
            raise UnknownLocation("Unknown location.", {"location_id": ["no such location"]})
        if response.status_code == 422:
            raise NoMatchingSchedule("The request cannot match any schedule.", response.json().get("errors"))
        return response.json()
