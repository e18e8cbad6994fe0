"""Free slots for a location, service and date range, from the locations answer and the ledger."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bookings.domain.booking import service_of, windows_of
from bookings.domain.slots import Policy, Span, grid_starts, is_bookable

# One answer covers at most this many days: its cost grows with the range (and locations caps it too).
MAX_AVAILABILITY_DAYS = 31


def parsed_windows(answer: dict) -> dict[str, list[Span]]:
    """Each provider's windows as Spans, parsed once per cached answer (the answer dict is shared)."""
    parsed = answer.get("_spans")
    if parsed is None:
        parsed = answer["_spans"] = {p["id"]: windows_of(answer, p["id"]) for p in answer["providers"]}
    return parsed


def covering_span(answer: dict) -> Span | None:
    """The span from the earliest window to the latest: what the ledger must be asked about."""
    windows = [w for spans in parsed_windows(answer).values() for w in spans]
    if not windows:
        return None
    return Span(min(w.start for w in windows), max(w.end for w in windows))


def free_slots(answer: dict, busy: dict[str, list[Span]], now: datetime, policy: Policy) -> list[dict]:
    """Free slots of every provider, earliest first, times in the location's zone with offset.

    Providers often share their hours, so each distinct window's grid (and its local times) is
    built once and only the per-provider question, is it bookable, is asked for each start.
    """
    service = service_of(answer["service"])
    local = LocalTimes(ZoneInfo(answer["location"]["timezone"]), service.duration)
    grids: dict[Span, list] = {}
    found = []
    for provider_id, windows in parsed_windows(answer).items():
        blocked = busy.get(provider_id, [])
        for window in windows:
            if window not in grids:
                grids[window] = [(start, *local.visit(start)) for start in grid_starts(window, service)]
            found.extend((start, provider_id, begins, ends) for start, begins, ends in grids[window]
                         if is_bookable(start, service, blocked, now, policy))
    found.sort(key=lambda slot: slot[:2])
    location_id, modality = answer["location"]["id"], answer["modality"]
    return [{"start": begins, "end": ends, "provider_id": provider_id, "location_id": location_id,
             "modality": modality} for _, provider_id, begins, ends in found]


class LocalTimes:
    """A visit's start and end as ISO strings in the location's zone, with its offset."""

    def __init__(self, zone: ZoneInfo, duration):
        self._zone, self._duration = zone, duration

    def visit(self, start: datetime) -> tuple[str, str]:
        return start.astimezone(self._zone).isoformat(), (start + self._duration).astimezone(self._zone).isoformat()
