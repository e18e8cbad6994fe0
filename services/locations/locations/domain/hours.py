"""Weekly hours: for each weekday `mon`..`sun`, a list of {open, close} wall-clock intervals.

Rules: times are HH:MM (00:00–23:59), close is after open on the same day (no overnight
intervals: a clinic that works past midnight has two days), intervals of one day do not
overlap, and a missing or empty day is closed. Several intervals model a lunch break.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True, order=True)
class Interval:
    open: time
    close: time

    def contains(self, other: "Interval") -> bool:
        return self.open <= other.open and other.close <= self.close

    def intersect(self, other: "Interval") -> "Interval | None":
        start, end = max(self.open, other.open), min(self.close, other.close)
        return Interval(start, end) if start < end else None

    def as_dict(self) -> dict:
        return {"open": self.open.strftime("%H:%M"), "close": self.close.strftime("%H:%M")}


def parse_time(value) -> time | None:
    match = HHMM.match(value) if isinstance(value, str) else None
    return time(int(match[1]), int(match[2])) if match else None


def interval_errors(raw) -> tuple[list[Interval], list[str]]:
    """Parse a day's list of {open, close}; return the sorted intervals and any error messages."""
    if not isinstance(raw, list):
        return [], ["must be a list of {open, close} intervals"]
    intervals, errors = [], []
    for item in raw:
        opened = parse_time(item.get("open")) if isinstance(item, dict) else None
        closed = parse_time(item.get("close")) if isinstance(item, dict) else None
        if opened is None or closed is None:
            errors.append(f"{item!r}: open and close must be HH:MM between 00:00 and 23:59")
        elif closed <= opened:
            errors.append(f"{item['open']}–{item['close']}: close must be after open (no overnight intervals)")
        else:
            intervals.append(Interval(opened, closed))
    intervals.sort()
    for before, after in zip(intervals, intervals[1:]):
        if after.open < before.close:
            errors.append(f"{before.as_dict()['open']}–{before.as_dict()['close']} overlaps "
                          f"{after.as_dict()['open']}–{after.as_dict()['close']}")
    return intervals, errors


def weekly_hours_errors(hours) -> dict[str, list[str]]:
    """Field errors for a weekly-hours object, keyed by weekday (or `_schema`)."""
    if not isinstance(hours, dict):
        return {"_schema": ["hours must map weekdays mon..sun to lists of intervals"]}
    errors = {day: [f"'{day}' is not a weekday; use {', '.join(WEEKDAYS)}"] for day in hours if day not in WEEKDAYS}
    for day in WEEKDAYS:
        if day in hours:
            _, day_errors = interval_errors(hours[day])
            if day_errors:
                errors[day] = day_errors
    return errors


def parse_weekly(hours: dict) -> dict[str, list[Interval]]:
    """Weekly hours (already validated) as sorted Interval lists for every weekday."""
    return {day: interval_errors(hours.get(day, []))[0] for day in WEEKDAYS}


def normalized(hours: dict) -> dict[str, list[dict]]:
    """The stored form: every weekday present, intervals sorted."""
    return {day: [i.as_dict() for i in intervals] for day, intervals in parse_weekly(hours).items()}


def weekday_of(day) -> str:
    return WEEKDAYS[day.weekday()]
