"""Closures and special hours, and the effective hours of a date.

A closure covers `from`..`to` (inclusive dates). Without `intervals` it closes the location
(holiday, training, weather); with `intervals` those replace the weekly hours on each of its
dates (a Saturday clinic, a short day). Special hours may name `provider_ids`, the people who
staff them: on those dates they work the special hours whatever their weekly schedule says (a
Saturday clinic needs someone to see patients); everyone else keeps their schedule, clipped.
Where closures overlap, a full closure wins over special hours, and among special hours the one
created last wins.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from locations.domain.errors import RangeTooLong
from locations.domain.hours import Interval, interval_errors, weekday_of

MAX_RANGE_DAYS = 366


@dataclass(frozen=True)
class DayHours:
    date: date
    intervals: list[Interval] = field(default_factory=list)
    closed: bool = False
    reason: str | None = None
    staffed_by: tuple[str, ...] = ()  # providers who work these special hours in full

    def as_dict(self) -> dict:
        return {"date": self.date.isoformat(), "intervals": [i.as_dict() for i in self.intervals],
                "closed": self.closed, "reason": self.reason}


def dates(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def closure_errors(closure: dict) -> dict[str, list[str]]:
    errors = {}
    if closure["to"] < closure["from"]:
        errors["to"] = ["must be on or after 'from'"]
    elif (closure["to"] - closure["from"]).days >= MAX_RANGE_DAYS:
        errors["to"] = [f"a closure spans at most {MAX_RANGE_DAYS} days"]
    if closure.get("intervals") is not None:
        intervals, interval_problems = interval_errors(closure["intervals"])
        if interval_problems:
            errors["intervals"] = interval_problems
        elif not intervals:
            errors["intervals"] = ["give at least one interval, or leave intervals out to close"]
    return errors


def check_range(first: date, last: date) -> None:
    """One answer covers at most MAX_RANGE_DAYS dates."""
    if (last - first).days >= MAX_RANGE_DAYS:
        raise RangeTooLong({"to": [f"at most {MAX_RANGE_DAYS} days at a time"]})


def dated_closures(location: dict) -> list[dict]:
    """Stored closures keep ISO date strings (BSON has no date type); the rules want dates."""
    return [{**c, "from": date.fromisoformat(c["from"]), "to": date.fromisoformat(c["to"])}
            for c in location.get("closures", [])]


def _covering(closures: list[dict], day: date) -> dict | None:
    covering = [c for c in closures if c["from"] <= day <= c["to"]]
    if not covering:
        return None
    full = [c for c in covering if c.get("intervals") is None]
    return (full or sorted(covering, key=lambda c: c["created_at"]))[-1]


def effective_day(weekly: dict[str, list[Interval]], closures: list[dict], day: date) -> DayHours:
    closure = _covering(closures, day)
    if closure is None:
        intervals = weekly.get(weekday_of(day), [])
        return DayHours(day, intervals, closed=not intervals)
    if closure.get("intervals") is None:
        return DayHours(day, [], closed=True, reason=closure.get("reason"))
    return DayHours(day, interval_errors(closure["intervals"])[0], closed=False, reason=closure.get("reason"),
                    staffed_by=tuple(closure.get("provider_ids") or ()))


def effective_hours(weekly: dict[str, list[Interval]], closures: list[dict], first: date, last: date) -> list[DayHours]:
    """The hours that really apply on each date from `first` to `last` inclusive."""
    return [effective_day(weekly, closures, day) for day in dates(first, last)]
