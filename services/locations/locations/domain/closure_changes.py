"""Staff changes to closures and special hours: adding one, who may staff it, deleting one.

Pure functions on the stored location document (closures keep ISO dates there); they raise the
domain's refusals (domain/errors.py) so a refused request writes nothing.
"""
from __future__ import annotations

from datetime import date, datetime

from locations.domain.errors import ClosureNotFound, ClosureStarted, UnstaffableHours
from locations.domain.zones import local_date


def location_today(location: dict, now: datetime) -> date:
    """The date in the location's own calendar: what 'started' and 'ahead' are measured against."""
    return local_date(now, location["timezone"])


def closures_ahead(location: dict, today: date) -> list[dict]:
    """The stored closures that have not ended by `today`: the ones patients and staff still need."""
    return [c for c in location.get("closures", []) if c["to"] >= today.isoformat()]


def closure_record(closure_id: str, data: dict, now: datetime) -> dict:
    return {"id": closure_id, "from": data["from_"].isoformat(), "to": data["to"].isoformat(),
            "reason": data["reason"], "intervals": data.get("intervals"),
            "provider_ids": sorted(set(data.get("provider_ids") or [])), "created_at": now}


def staffing_errors(data: dict, providers: dict[str, dict], location_id: str) -> dict[str, list[str]]:
    """Who may staff special hours: providers who work at this location; a full closure has no staff."""
    named = data.get("provider_ids") or []
    if named and data.get("intervals") is None:
        return {"provider_ids": ["only special hours are staffed; a closure without intervals closes"]}
    problems = [f"'{pid}' does not work at this location" for pid in named
                if location_id not in (providers.get(pid) or {}).get("location_ids", [])]
    return {"provider_ids": problems} if problems else {}


def check_staffing(data: dict, providers: dict[str, dict], location_id: str) -> None:
    """Refuse special hours that name providers (`providers`: those named, by id) who cannot staff them."""
    errors = staffing_errors(data, providers, location_id)
    if errors:
        raise UnstaffableHours(errors)


def with_closure(location: dict, closure: dict) -> dict:
    return {**location, "closures": [*location.get("closures", []), closure]}


def without_closure(location: dict, closure_id: str, today: date) -> dict:
    """The location without that closure; only closures still ahead may be deleted."""
    closures = location.get("closures", [])
    found = next((c for c in closures if c["id"] == closure_id), None)
    if found is None:
        raise ClosureNotFound(closure_id)
    if date.fromisoformat(found["from"]) <= today:
        raise ClosureStarted()
    return {**location, "closures": [c for c in closures if c["id"] != closure_id]}
