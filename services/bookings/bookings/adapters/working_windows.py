"""The one translation of locations' working-windows answer into domain models (domain/schedule.py).

The answer's shape is locations' contract (its WorkingWindows schema): window instants are UTC
ISO strings, parsed here once per fetched answer rather than on every availability request.
"""
from __future__ import annotations

from datetime import date, datetime

from bookings.domain.schedule import (Closure, Location, Provider, Schedule, VisitType, frozen_mapping,
                                      frozen_translations)
from bookings.domain.slots import Span


def schedule_from_answer(answer: dict) -> Schedule:
    return Schedule(location=_location(answer["location"]), visit_type=_visit_type(answer["service"]),
                    modality=answer["modality"], providers=tuple(_provider(p) for p in answer["providers"]))


def _location(location: dict) -> Location:
    return Location(id=location["id"], name=location["name"], timezone=location["timezone"],
                    address=frozen_mapping(location.get("address")), phone=location.get("phone"),
                    phone_display=location.get("phone_display"),
                    translations=frozen_translations(location.get("translations")),
                    open_weekdays=frozenset(n for n, day in enumerate(WEEKDAYS) if (location.get("hours") or {}).get(day)),
                    closures=tuple(_closure(c) for c in location.get("closures") or ()))


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # locations' weekly hours keys, Monday first


def _closure(closure: dict) -> Closure:
    return Closure(first=date.fromisoformat(closure["from"]), last=date.fromisoformat(closure["to"]),
                   full_day=not closure.get("intervals"))


def _visit_type(service: dict) -> VisitType:
    return VisitType(id=service["id"], name=service["name"], duration_minutes=service["duration_minutes"],
                     buffer_minutes=service["buffer_minutes"], requires_confirmation=service["requires_confirmation"],
                     provider_role=service.get("provider_role") or "",
                     translations=frozen_translations(service.get("translations")))


def _provider(provider: dict) -> Provider:
    windows = tuple(Span(datetime.fromisoformat(w["start"]), datetime.fromisoformat(w["end"]))
                    for w in provider["windows"])
    return Provider(id=provider["id"], name=provider["name"], credentials=provider["credentials"], windows=windows)
