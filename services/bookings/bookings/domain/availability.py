"""Free slots for one schedule (a location, a visit type, its providers) and what the ledger holds."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from bookings.domain.schedule import Schedule
from bookings.domain.slots import Policy, Span, bookable, grid_starts

# One answer covers at most this many days: its cost grows with the range (and locations caps it too).
MAX_AVAILABILITY_DAYS = 31


class FreeSlot(NamedTuple):
    """A bookable visit as availability shows it: start and end in the location's zone with offset.

    A tuple rather than a dataclass: an answer holds thousands, and they are made and shown in
    the request's hot path (see api/records.py)."""

    start: str
    end: str
    provider_id: str
    location_id: str
    modality: str


def covering_span(schedule: Schedule) -> Span | None:
    """The span from the earliest window to the latest: what the ledger must be asked about."""
    windows = [w for provider in schedule.providers for w in provider.windows]
    if not windows:
        return None
    return Span(min(w.start for w in windows), max(w.end for w in windows))


def free_slots(schedule: Schedule, busy: dict[str, list[Span]], now: datetime, policy: Policy) -> list[FreeSlot]:
    """Free slots of every provider, earliest first (then by provider).

    Providers often share their hours, so each distinct window's grid (and its local times) is
    built once and only the per-provider question, is it bookable, is asked for each start.
    """
    cadence = schedule.visit_type.cadence
    local = LocalTimes(ZoneInfo(schedule.location.timezone), cadence.duration)
    grids: dict[Span, list] = {}
    found = []
    for provider in schedule.providers:
        free = bookable(cadence, busy.get(provider.id, []), now, policy)
        for window in provider.windows:
            if window not in grids:
                grids[window] = [(start, *local.visit(start)) for start in grid_starts(window, cadence)]
            found.extend((start, provider.id, begins, ends) for start, begins, ends in grids[window] if free(start))
    found.sort()  # by start, then provider (then the local times, which follow from the start)
    location_id, modality = schedule.location.id, schedule.modality
    return [FreeSlot(begins, ends, provider_id, location_id, modality) for _, provider_id, begins, ends in found]


class LocalTimes:
    """A visit's start and end as ISO strings in the location's zone, with its offset."""

    def __init__(self, zone: ZoneInfo, duration: timedelta):
        self._zone, self._duration = zone, duration

    def visit(self, start: datetime) -> tuple[str, str]:
        return start.astimezone(self._zone).isoformat(), (start + self._duration).astimezone(self._zone).isoformat()
