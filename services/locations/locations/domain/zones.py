"""Wall-clock times in a location's IANA zone, turned into UTC instants.

Opening hours are wall-clock: 08:00–17:00 stays 08:00–17:00 local on both DST Sundays, so
the UTC instants shift by an hour across a change. Two edge cases, which only matter for
hours set between 01:00 and 03:00:
- a wall time that does not exist (spring forward, 02:30) is read with the offset in force
  before the change, landing an hour later on the new clock (03:30);
- a wall time that happens twice (fall back, 01:30) is its first occurrence (fold=0).
"""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


def is_valid_zone(name) -> bool:
    if not isinstance(name, str) or not name or name.startswith("/") or ".." in name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return name in _zone_names()


_ZONES: set[str] = set()


def _zone_names() -> set[str]:
    if not _ZONES:
        _ZONES.update(available_timezones())
    return _ZONES


@lru_cache(maxsize=8192)
def wall_to_utc(day: date, at: time, zone: str) -> datetime:
    # Memoized: fifty providers working the same opening hours share every conversion.
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone)).astimezone(timezone.utc)


def utc_to_wall(instant: datetime, zone: str) -> datetime:
    return instant.astimezone(ZoneInfo(zone))


def local_date(instant: datetime, zone: str) -> date:
    return utc_to_wall(instant, zone).date()
