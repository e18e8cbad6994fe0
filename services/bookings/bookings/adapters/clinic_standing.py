"""What the disruption scan asks locations, never from the cache: a schedule change was just made, and
the scan exists to judge bookings against it (the cached ScheduleSource may still hold the old one).

Locations' working-windows answer gives the location's weekly hours and closures and each eligible
provider's windows; GET /providers/{id} tells an inactive provider from one who no longer works then;
GET /locations finds the telehealth location(s) for a disruption's telehealth option. Each answer is
translated here into domain/disruption.py's models.
"""
from __future__ import annotations

from datetime import date, datetime
from urllib.parse import quote, urlencode

from bookings.adapters.locations_http import LocationsHttp
from bookings.adapters.schedules import _parts
from bookings.domain.disruption import WEEKDAYS, ClinicDays, DayRule
from bookings.domain.slots import Span
from bookings.domain.waitlist import TELEHEALTH


class Hours:
    """One fresh answer: the location's calendar and who works when (provider id -> windows)."""

    def __init__(self, clinic: ClinicDays, windows: dict[str, tuple[Span, ...]]):
        self.clinic, self.windows = clinic, windows


class ClinicStanding(LocationsHttp):
    def hours(self, location_id: str, first: date, last: date, service_id: str, provider_id: str | None = None,
              patient_state: str | None = None) -> Hours | None:
        """None when locations cannot answer for these (an unknown location, a service not offered there)."""
        answers = []
        for part_first, part_last in _parts(first, last):
            params = {"from": part_first.isoformat(), "to": part_last.isoformat(), "service_id": service_id,
                      "provider_id": provider_id, "patient_state": patient_state}
            response = self._get(f"/api/v1/locations/{quote(location_id, safe='')}/working-windows?"
                                 f"{urlencode({k: v for k, v in params.items() if v})}")
            if response.status_code != 200:
                return None
            answers.append(response.json())
        windows: dict[str, tuple[Span, ...]] = {}
        for answer in answers:
            for provider in answer["providers"]:
                windows[provider["id"]] = windows.get(provider["id"], ()) + tuple(_span(w) for w in provider["windows"])
        return Hours(clinic_days(answers[0]["location"]), windows)

    def provider_active(self, provider_id: str) -> bool:
        """False for a provider marked inactive, or one locations no longer knows."""
        response = self._get(f"/api/v1/providers/{quote(provider_id, safe='')}")
        return response.status_code == 200 and response.json().get("active") is not False

    def location_known(self, location_id: str) -> bool:
        return self._get(f"/api/v1/locations/{quote(location_id, safe='')}").status_code == 200

    def telehealth_locations(self) -> list[str]:
        response = self._get("/api/v1/locations")
        return [loc["id"] for loc in response.json().get("locations", []) if loc.get("modalities") == [TELEHEALTH]]


def clinic_days(location: dict) -> ClinicDays:
    hours = location.get("hours") or {}
    return ClinicDays(timezone=location["timezone"],
                      weekly={day: _intervals(hours.get(day)) for day in WEEKDAYS},
                      rules=tuple(DayRule(date.fromisoformat(c["from"]), date.fromisoformat(c["to"]),
                                          _intervals(c["intervals"]) if c.get("intervals") else None, c.get("reason"))
                                  for c in location.get("closures") or ()))


def _intervals(raw) -> tuple:
    return tuple((_time(i["open"]), _time(i["close"])) for i in raw or ())


def _time(hhmm: str):
    return datetime.strptime(hhmm, "%H:%M").time()


def _span(window: dict) -> Span:
    return Span(datetime.fromisoformat(window["start"]), datetime.fromisoformat(window["end"]))
