"""Who works special hours that name nobody: the providers whose weekly schedule here overlaps them
(domain/closures.py). On a date where nobody's does (a Saturday clinic with no Saturday schedules),
no times are offered, which staff would not guess from a 201: the answer says so."""
from __future__ import annotations

from datetime import date

from locations.domain.closures import dated_closures
from locations.domain.windows import location_days, windows_within


def unstaffed_dates(location: dict, closure: dict, providers: list[dict]) -> list[date]:
    """The dates of new special hours (`closure`, stored form, already in `location`) on which no active
    provider works any of them; [] for a full closure or special hours that name their staff."""
    if closure.get("intervals") is None or closure.get("provider_ids"):
        return []
    first, last = date.fromisoformat(closure["from"]), date.fromisoformat(closure["to"])
    days = [d for d in location_days({**location, "closures": dated_closures(location)}, first, last) if not d.closed]
    schedules = [p.get("schedules", {}).get(location["_id"], {}) for p in providers if p.get("active", True)]
    return [day.date for day in days
            if not any(windows_within(schedule, [day], location["timezone"]) for schedule in schedules)]


def unstaffed_warning(dates: list[date]) -> list[str]:
    if not dates:
        return []
    listed = ", ".join(d.isoformat() for d in dates)
    return [f"No provider is named for these special hours and nobody's weekly schedule here overlaps them on "
            f"{listed}: no times will be offered then. Name the providers who staff them (provider_ids)."]
