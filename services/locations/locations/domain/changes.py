"""How staff changes turn into new documents, and the cross-record rules they must keep.

Pure functions: the views fetch what a rule needs (the referenced services and locations),
call these, and store the result. `*_errors` return field errors; `checked_*` raise them as the
domain's refusals (domain/errors.py), so a refused request writes nothing.
"""
from __future__ import annotations

from locations.domain.errors import InconsistentLocation, InconsistentProvider
from locations.domain.hours import normalized, parse_weekly, weekly_hours_errors
from locations.domain.windows import schedule_outside_hours

LOCATION_FIELDS = ("name", "description", "translations", "address", "timezone", "phone", "modalities", "hours",
                   "active")


def location_errors(location: dict) -> dict[str, list[str]]:
    """Rules that span fields, checked on the whole location after a create or a patch."""
    errors = {}
    if "in_person" in location["modalities"] and not location.get("address"):
        errors["address"] = ["An in-person location needs its address."]
    if "telehealth" in location["modalities"] and "in_person" in location["modalities"]:
        errors["modalities"] = ["Telehealth is offered through its own location: use ['telehealth'] alone."]
    return errors


def checked_location(location: dict) -> dict:
    errors = location_errors(location)
    if errors:
        raise InconsistentLocation(errors)
    return location


def merged_location(current: dict, patch: dict) -> dict:
    merged = {**current, **{k: v for k, v in patch.items() if k in LOCATION_FIELDS}}
    merged["hours"] = normalized(merged["hours"])
    return merged


def provider_errors(provider: dict, services: dict[str, dict], locations: dict[str, dict]) -> dict[str, list[str]]:
    """A provider must offer existing services of their role and work only inside open hours, one place at a time."""
    errors: dict[str, list[str]] = {}
    for service_id in provider["service_ids"]:
        service = services.get(service_id)
        if service is None:
            errors.setdefault("service_ids", []).append(f"unknown service '{service_id}'")
        elif service["provider_role"] != provider["role"]:
            errors.setdefault("service_ids", []).append(
                f"'{service_id}' is for a {service['provider_role']}, not a {provider['role']}")
    for location_id, schedule in provider["schedules"].items():
        problems = _schedule_problems(schedule, locations.get(location_id))
        if problems:
            errors.setdefault("schedules", []).extend(f"{location_id}: {p}" for p in problems)
    clashes = schedule_clashes(provider["schedules"])
    if clashes:
        errors.setdefault("schedules", []).extend(clashes)
    return errors


def checked_provider(provider: dict, services: dict[str, dict], locations: dict[str, dict]) -> dict:
    """The provider's stored form, once it refers only to `services` and `locations` it may (by id)."""
    errors = provider_errors(provider, services, locations)
    if errors:
        raise InconsistentProvider(errors)
    return provider_document(provider)


def _schedule_problems(schedule: dict, location: dict | None) -> list[str]:
    if location is None:
        return ["unknown location"]
    shape = weekly_hours_errors(schedule)
    if shape:
        return [f"{day}: {'; '.join(msgs)}" for day, msgs in shape.items()]
    return [f"{day}: {'; '.join(msgs)}" for day, msgs in schedule_outside_hours(schedule, location["hours"]).items()]


def schedule_clashes(schedules: dict[str, dict]) -> list[str]:
    """A person is in one place at a time: schedules at two locations may not overlap on a weekday."""
    clashes = []
    parsed = {loc: parse_weekly(s) for loc, s in schedules.items() if not weekly_hours_errors(s)}
    names = sorted(parsed)
    for i, first in enumerate(names):
        for second in names[i + 1:]:
            for day, intervals in parsed[first].items():
                if any(a.intersect(b) for a in intervals for b in parsed[second][day]):
                    clashes.append(f"{day}: {first} and {second} overlap")
    return clashes


def provider_document(data: dict) -> dict:
    """Stored form: schedules normalised, and the locations worked at listed for the index."""
    schedules = {loc: normalized(s) for loc, s in data.get("schedules", {}).items()}
    return {**data, "schedules": schedules,
            "location_ids": sorted(loc for loc, s in schedules.items() if any(s.values()))}
