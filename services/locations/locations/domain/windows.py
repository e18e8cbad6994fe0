"""A provider's working windows at a location: their weekly schedule there, clipped to the
location's effective hours of each date (closures and special hours applied), as UTC instants.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from locations.domain.closures import effective_hours
from locations.domain.hours import Interval, parse_weekly, weekday_of
from locations.domain.zones import wall_to_utc


@dataclass(frozen=True)
class Window:
    date: date
    start: datetime
    end: datetime

    def as_dict(self) -> dict:
        return {"date": self.date.isoformat(), "start": self.start.isoformat(), "end": self.end.isoformat()}


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


def working_windows(location: dict, schedule: dict, first: date, last: date) -> list[Window]:
    weekly, wanted = parse_weekly(location.get("hours", {})), parse_weekly(schedule)
    windows = []
    for day in effective_hours(weekly, location.get("closures", []), first, last):
        for interval in clip(wanted[weekday_of(day.date)], day.intervals):
            windows.append(Window(day.date, wall_to_utc(day.date, interval.open, location["timezone"]),
                                  wall_to_utc(day.date, interval.close, location["timezone"])))
    return windows
