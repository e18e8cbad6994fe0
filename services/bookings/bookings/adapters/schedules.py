"""Working windows from the locations service: one HTTP call, translated once, cached in this process.

The cache key includes the schedule epoch (store/epoch.py), which the bookings worker bumps on
every location.*, provider.* and service.* event (events/handlers.py): a change at locations makes
every cached answer unreachable at once, for the price of one small read per request. The TTL
bounds the cache even if an event were delayed; past `max_entries` the least recently used goes.
What is cached is an immutable Schedule, so the threads that share it cannot disturb each other.
A range longer than locations answers at once (a series' half year) is asked in consecutive parts
and merged, under one epoch read and one cache entry: the caller sees one answer.
"""
from __future__ import annotations

import threading
from datetime import date, timedelta
from urllib.parse import urlencode

from cachetools import TTLCache

from bookings.adapters.locations_http import LocationsHttp
from bookings.adapters.working_windows import schedule_from_answer
from bookings.domain.errors import NoMatchingSchedule, UnknownLocation
from bookings.domain.schedule import Schedule
from bookings.domain.series import merged

ANSWER_DAYS = 92  # locations answers at most this many days of windows at once (its MAX_WINDOW_DAYS)


class ScheduleSource(LocationsHttp):
    def __init__(self, base_url: str, timeout: tuple[float, float], epoch, ttl_s: float = 300, max_entries: int = 512):
        super().__init__(base_url, timeout)
        self._epoch = epoch
        self._cache: TTLCache = TTLCache(maxsize=max_entries, ttl=ttl_s)
        self._lock = threading.Lock()  # cachetools' caches are not thread-safe

    def windows(self, location_id: str, first: date, last: date, service_id: str, provider_id: str | None = None,
                language: str | None = None, patient_state: str | None = None) -> Schedule:
        """Who works when, for these filters (see locations' working-windows API), over any number of days."""
        filters = {"service_id": service_id, "provider_id": provider_id, "language": language,
                   "patient_state": patient_state}
        key = (self._epoch.current(), location_id, _query(first, last, filters))
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None:
            return cached
        answers = [schedule_from_answer(self._fetch(f"/api/v1/locations/{location_id}/working-windows?"
                                                    f"{_query(part_first, part_last, filters)}"))
                   for part_first, part_last in _parts(first, last)]
        schedule = answers[0] if len(answers) == 1 else merged(answers)
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


def _query(first: date, last: date, filters: dict) -> str:
    params = {"from": first.isoformat(), "to": last.isoformat(), **filters}
    return urlencode({k: v for k, v in params.items() if v})


def _parts(first: date, last: date) -> list[tuple[date, date]]:
    """Consecutive ranges of at most ANSWER_DAYS days covering first..last (one range when it is shorter;
    a reversed range is passed on as it is, for locations to refuse)."""
    parts = [(first, min(last, first + timedelta(days=ANSWER_DAYS - 1)))]
    while parts[-1][1] < last:
        start = parts[-1][1] + timedelta(days=1)
        parts.append((start, min(last, start + timedelta(days=ANSWER_DAYS - 1))))
    return parts
