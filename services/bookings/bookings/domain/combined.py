"""Combined visits: which two visits make one trip (therapy and medication management together).

Two visits combine when they are of different services, with different providers, at one location
(telehealth is a location of its own, so both parts are then by telehealth), on the same day in
the clinic's zone, and the second starts no sooner than the first ends and at most `max_gap`
after it. Either service may come first. Gaps are measured between instants, so a DST change
between the parts counts the time that really passes.

Pure: availability (api/availability.py) pairs free slots with `pair_slots`; booking a visit
(visit_operations.py) checks the parts it was given with `combination_refusal`.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from itertools import groupby
from typing import NamedTuple
from zoneinfo import ZoneInfo

from bookings.domain.availability import FreeSlot, covering_span
from bookings.domain.schedule import Schedule
from bookings.domain.slots import Span

DEFAULT_GAP_MINUTES, MAX_GAP_MINUTES = 30, 120
# One answer lists at most this many options, earliest first: with a two-hour gap a fortnight at a
# clinic pairs into thousands, more than anyone reads; `truncated` tells the client to ask from later.
MAX_OPTIONS = 200


class Option(NamedTuple):
    parts: tuple[FreeSlot, FreeSlot]


class ServicedSlot(NamedTuple):
    """A part of an option as the answer shows it: the slot and the service it is for."""
    start: str
    end: str
    provider_id: str
    location_id: str
    modality: str
    service_id: str


def naming_services(options: list[Option], first_service_slots: list[FreeSlot], first_service: str,
                    second_service: str) -> list[Option]:
    """Each part with its service (parts are in time order, so either service may come first). Done on the
    few options shown, by the identity of the slots paired (the same objects as the lists they came from)."""
    of_first = {id(slot) for slot in first_service_slots}
    return [Option(tuple(ServicedSlot(*slot, first_service if id(slot) in of_first else second_service)
                         for slot in option.parts)) for option in options]


@dataclass(frozen=True)
class Part:
    """One visit of a combined visit, as the booking request names it (instants are aware)."""

    service_id: str
    provider_id: str
    start: datetime
    end: datetime


def care_refusal(provider_roles: list[str]) -> str | None:
    """A combined visit is therapy with medication management (API.md): its two visit types are for
    different kinds of clinician. None when they are (or a role is not known); the reason otherwise."""
    if all(provider_roles) and len(set(provider_roles)) < len(provider_roles):
        return "a combined visit pairs therapy with medication management, not two visits of one kind"
    return None


def combination_refusal(parts: list[Part], zone: ZoneInfo, max_gap: timedelta) -> str | None:
    """Why these two parts cannot be one trip (None when they can)."""
    # In UTC: arithmetic between datetimes of one ZoneInfo is wall-clock arithmetic, blind to DST.
    first, second = sorted(parts, key=lambda part: part.start.astimezone(timezone.utc))
    if first.service_id == second.service_id:
        return "the parts must be two different services"
    if first.provider_id == second.provider_id:
        return "the parts must be with two different providers"
    if first.start.astimezone(zone).date() != second.start.astimezone(zone).date():
        return "both parts must be on the same day"
    gap = second.start.astimezone(timezone.utc) - first.end.astimezone(timezone.utc)
    if gap < timedelta(0):
        return "the parts overlap"
    if gap > max_gap:
        return f"the second part must start within {int(max_gap.total_seconds() // 60)} minutes of the first's end"
    return None


def covering_both(schedules: list[Schedule]) -> Span | None:
    """One span over every window of both services: the ledger is read once for the pair."""
    spans = [span for span in map(covering_span, schedules) if span is not None]
    if not spans:
        return None
    return Span(min(s.start for s in spans), max(s.end for s in spans))


class _Timed(NamedTuple):
    start: datetime
    end: datetime
    day: date
    slot: FreeSlot


def _timed(slot: FreeSlot) -> _Timed:
    # A free slot's times are written in the clinic's zone: the date they show is the clinic's date.
    start = datetime.fromisoformat(slot.start)
    return _Timed(start, datetime.fromisoformat(slot.end), start.date(), slot)


def pair_slots(a: list[FreeSlot], b: list[FreeSlot], max_gap: timedelta,
               limit: int = MAX_OPTIONS) -> tuple[list[Option], bool]:
    """Every (first, second) pair of an `a` and a `b` slot, either order, that combines; earliest
    first, at most `limit` of them, and whether more were left out.

    Only the earliest are shown, so pairs are made in the order they are shown and the walk stops
    once more than `limit` are found: day by day (both parts are on one day), and within a day
    first slot by first slot in time order, the firsts of one instant together (among themselves
    their pairs sort by the second's start, then the providers). A fortnight at a clinic pairs into
    thousands; making and sorting them all cost several times the rest of the answer."""
    days_a, days_b = _by_day(a), _by_day(b)
    found: list[tuple[_Timed, _Timed]] = []
    for day in sorted(days_a.keys() & days_b.keys()):
        timed_a, timed_b = [_timed(s) for s in days_a[day]], [_timed(s) for s in days_b[day]]
        after_a, after_b = _Following(timed_b), _Following(timed_a)  # an `a` slot is followed by a `b` one, and back
        firsts = sorted([(t, after_a) for t in timed_a] + [(t, after_b) for t in timed_b], key=lambda f: f[0].start)
        for _start, group in groupby(firsts, key=lambda f: f[0].start):
            pairs = [(first, second) for first, others in group for second in others.after(first, max_gap)]
            pairs.sort(key=lambda pair: (pair[1].start, pair[0].slot.provider_id, pair[1].slot.provider_id))
            found.extend(pairs)
            if len(found) > limit:  # every later pair starts later: the earliest `limit` are known, and that more exist
                return [Option((first.slot, second.slot)) for first, second in found[:limit]], True
    return [Option((first.slot, second.slot)) for first, second in found], False


def _by_day(slots: list[FreeSlot]) -> dict[str, list[FreeSlot]]:
    """Slots by the clinic's date: the date their start is written with (see _timed)."""
    days: dict[str, list[FreeSlot]] = {}
    for slot in slots:
        days.setdefault(slot.start[:10], []).append(slot)
    return days


class _Following:
    """One day's slots of one service in time order: which may follow a given slot of the other."""

    def __init__(self, slots: list[_Timed]):
        self._slots = sorted(slots, key=lambda t: t.start)
        self._starts = [t.start for t in self._slots]

    def after(self, first: _Timed, max_gap: timedelta) -> list[_Timed]:
        """The slots starting within [its end, its end + max_gap], with another provider."""
        lo, hi = bisect_left(self._starts, first.end), bisect_right(self._starts, first.end + max_gap)
        return [second for second in self._slots[lo:hi] if second.slot.provider_id != first.slot.provider_id]
