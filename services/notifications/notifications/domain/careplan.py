"""Care plans in messages: a weekly series or a combined visit is several bookings, and the patient hears
about it once (one confirmation listing the dates, one cancellation), not once per booking. Pure.

A series.* / visit.* event names its bookings; each booking's own booking.* events still arrive and still
move its reminders, but the news they carry is already in the plan's one message (`told_with_plan`).
Later changes to one booking (a moved occurrence, one part cancelled) are ordinary booking messages.
"""
from __future__ import annotations

from dataclasses import dataclass

from notifications.domain.appointment import (SERIES_EVENTS, VISIT_EVENTS, Appointment, InvalidEvent,
                                              appointment_from, language_of)

ACTIVE = ("requested", "confirmed")
# What every occurrence of a series shares, taken from the series into each occurrence's booking-like view.
SERIES_SHARED = ("patient", "patient_state", "modality", "location", "service", "provider", "timezone")


@dataclass(frozen=True)
class CarePlan:
    kind: str  # "series" | "visit"
    plan_id: str
    version: int  # the plan's own version: its events apply in order, as a booking's do
    patient: dict
    visits: tuple[Appointment, ...]  # every booking the event lists, in time order, each with its status
    every_weeks: int | None = None

    @property
    def language(self) -> str:
        return language_of(self.patient)

    @property
    def booking_ids(self) -> list[str]:
        return [visit.booking_id for visit in self.visits]

    @property
    def active(self) -> list[Appointment]:
        return [visit for visit in self.visits if visit.status in ACTIVE]

    @property
    def cancelled(self) -> list[Appointment]:
        return [visit for visit in self.visits if visit.status == "cancelled"]

    @property
    def versions_key(self) -> str:
        """Where the newest applied version is kept (beside bookings' own, which are plain ids)."""
        return f"{self.kind}:{self.plan_id}"


def plan_from(event_type: str, data: dict, occurred_at: str) -> CarePlan:
    """The plan a series.* or visit.* event describes; InvalidEvent when a field we rely on is missing or wrong."""
    if not isinstance(data.get("id"), str) or not data["id"]:
        raise InvalidEvent("care-plan event without an id")
    if not isinstance(data.get("patient"), dict):
        raise InvalidEvent("care-plan event without a patient")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidEvent("version must be a whole number from 1")
    if event_type in SERIES_EVENTS:
        kind, listed = "series", [_occurrence_view(data, o) for o in _list(data, "occurrences")]
    elif event_type in VISIT_EVENTS:
        kind, listed = "visit", [{"patient": data["patient"], **part} for part in _list(data, "parts")]
    else:
        raise InvalidEvent(f"{event_type} is not a care-plan event")
    visits = sorted((appointment_from(view, occurred_at) for view in listed), key=lambda a: a.start)
    if not visits:
        raise InvalidEvent(f"{event_type} lists no bookings")
    every = data.get("every_weeks") if isinstance(data.get("every_weeks"), int) else None
    return CarePlan(kind, data["id"], version, data["patient"], tuple(visits), every)


def _list(data: dict, field: str) -> list[dict]:
    items = data.get(field)
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise InvalidEvent(f"{field} must be a list of objects")
    return items


def _occurrence_view(series: dict, occurrence: dict) -> dict:
    """An occurrence as its booking's view would show it, from the series' shared fields."""
    return {**{key: series.get(key) for key in SERIES_SHARED}, "id": occurrence.get("booking_id"),
            "start": occurrence.get("start"), "end": occurrence.get("end"), "status": occurrence.get("status"),
            "version": occurrence.get("version") or 1, "series_id": series["id"]}


def told_with_plan(event_type: str, data: dict) -> bool:
    """Whether a booking event's news is already in its plan's one message (so it sends none of its own):
    the creation of a series occurrence or a visit part, or its cancellation together with the whole plan."""
    created = event_type in ("booking.requested", "booking.confirmed") and data.get("version") == 1
    if created and (data.get("series_id") or data.get("visit_id")):
        return True
    return event_type == "booking.cancelled" and bool(data.get("cancelled_with_series")
                                                      or data.get("cancelled_with_visit"))
