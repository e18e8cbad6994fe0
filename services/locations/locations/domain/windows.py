"""A provider's working windows at a location: their weekly schedule there, clipped to the
location's effective hours of each date (closures and special hours applied), as UTC instants.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from locations.domain.closures import DayHours, effective_hours
from locations.domain.eligibility import Request, is_eligible
from locations.domain.hours import Interval, parse_weekly, weekday_of
from locations.domain.zones import wall_to_utc


@dataclass(frozen=True)
class Window:
    date: date
    start: datetime
    end: datetime

    def as_dict(self) -> dict:
        return {"date": _iso(self.date), "start": _iso(self.start), "end": _iso(self.end)}


@lru_cache(maxsize=16384)
def _iso(value) -> str:
    # The same instants recur for every provider with the same hours: format each once.
    return value.isoformat()


def schedule_outside_hours(schedule: dict, location_hours: dict) -> dict[str, list[str]]:
    """Schedule intervals that do not sit inside the location's weekly hours, keyed by weekday."""
    open_hours, wanted = parse_weekly(location_hours), parse_weekly(schedule)
    errors = {}
    for day, intervals in wanted.items():
        for interval in intervals:
            if not any(hours.contains(interval) for hours in open_hours[day]):
                errors.setdefault(day, []).append(
                    f"{interval.as_dict()['open']}–{interval.as_dict()['close']} is outside the location's hours")
    return errors


def clip(schedule: list[Interval], hours: list[Interval]) -> list[Interval]:
    clipped = [s.intersect(h) for s in schedule for h in hours]
    return sorted(i for i in clipped if i is not None)


def location_days(location: dict, first: date, last: date) -> list[DayHours]:
    """The location's effective hours over the range: computed once, shared by all its providers."""
    return effective_hours(parse_weekly(location.get("hours", {})), location.get("closures", []), first, last)


def windows_within(schedule: dict, days: list[DayHours], zone: str, provider_id: str | None = None) -> list[Window]:
    """The schedule clipped to each day's hours; on special hours that name the provider, those hours."""
    wanted = parse_weekly(schedule)
    clipped: dict = {}  # most days share their weekday's regular hours (the same list): clip those once
    windows = []
    for day in days:
        weekday = weekday_of(day.date)
        key = (weekday, id(day.intervals))
        if key not in clipped:
            clipped[key] = clip(wanted[weekday], day.intervals)
        worked = day.intervals if provider_id is not None and provider_id in day.staffed_by else clipped[key]
        for interval in worked:
            windows.append(Window(day.date, wall_to_utc(day.date, interval.open, zone),
                                  wall_to_utc(day.date, interval.close, zone)))
    return windows


def working_windows(location: dict, schedule: dict, first: date, last: date, provider_id: str | None = None) -> list[Window]:
    return windows_within(schedule, location_days(location, first, last), location["timezone"], provider_id)


PROVIDER_FIELDS = ("id", "name", "credentials", "role", "languages")


def provider_windows(provider: dict, location: dict, days: list[DayHours]) -> dict:
    """The provider as bookings needs them, with their windows at `location` over `days`."""
    windows = windows_within(provider["schedules"].get(location["id"], {}), days, location["timezone"], provider["id"])
    return {**{k: provider.get(k) for k in PROVIDER_FIELDS}, "windows": [w.as_dict() for w in windows]}


def eligible_windows(request: Request, providers: list[dict], days: list[DayHours]) -> list[dict]:
    """Every provider (as shown) who may see this patient, with their windows at the request's location."""
    return [provider_windows(p, request.location, days) for p in providers if is_eligible(p, request)]
