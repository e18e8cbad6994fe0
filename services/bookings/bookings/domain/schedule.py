"""What bookings knows of the practice when it books: one location's visit type and its providers'
working windows, as typed, immutable values.

They are built once per answer from locations (adapters/working_windows.py) and then cached and
shared between threads, which is why nothing here can be changed after it is made.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType
from typing import Mapping

from bookings.domain.slots import Service, Span


@dataclass(frozen=True)
class Closure:
    """A closure as locations lists it: closed all day (`full_day`), or special hours, from `first` to `last`."""

    first: date
    last: date
    full_day: bool


@dataclass(frozen=True)
class Location:
    id: str
    name: str
    timezone: str
    address: Mapping | None = None
    phone: str | None = None
    # Only to say *why* a day has no windows (a series names `closed` apart from `outside_hours`):
    # the windows themselves already have hours and closures applied by locations.
    open_weekdays: frozenset[int] = frozenset(range(7))
    closures: tuple[Closure, ...] = ()
    phone_display: str | None = None  # the phone as people read it, (870) 555-0100: what messages show
    translations: Mapping = MappingProxyType({})  # language -> {name, description}: locations' catalog texts

    def closed_on(self, day: date) -> bool:
        """Closed all day: a full-day closure, or a weekday without hours that no special hours open."""
        covering = [c for c in self.closures if c.first <= day <= c.last]
        if any(c.full_day for c in covering):
            return True
        return day.weekday() not in self.open_weekdays and not covering

    def snapshot(self) -> dict:
        """What a booking keeps of the location, so its messages stay true if the records change."""
        address = dict(self.address) if self.address is not None else None
        return {"name": self.name, "address": address, "phone": self.phone, "phone_display": self.phone_display,
                "timezone": self.timezone, "translations": plain_translations(self.translations)}


@dataclass(frozen=True)
class VisitType:
    id: str
    name: str
    duration_minutes: int
    buffer_minutes: int
    requires_confirmation: bool
    provider_role: str = ""  # "therapist" or "prescriber": who sees this visit type (combined visits pair the two)
    translations: Mapping = MappingProxyType({})  # language -> {name, description}: Spanish messages name it so

    @property
    def cadence(self) -> Service:
        """The visit's length and the buffer after it: what the slot rules work with."""
        return Service(timedelta(minutes=self.duration_minutes), timedelta(minutes=self.buffer_minutes))

    def snapshot(self) -> dict:
        return {"name": self.name, "duration_minutes": self.duration_minutes, "buffer_minutes": self.buffer_minutes,
                "translations": plain_translations(self.translations)}


@dataclass(frozen=True)
class Provider:
    id: str
    name: str
    credentials: str
    windows: tuple[Span, ...] = ()

    def snapshot(self) -> dict:
        return {"name": self.name, "credentials": self.credentials}


@dataclass(frozen=True)
class Schedule:
    """Who can see a patient for one visit type at one location, and when they work there."""

    location: Location
    visit_type: VisitType
    modality: str
    providers: tuple[Provider, ...] = ()

    def provider(self, provider_id: str) -> Provider | None:
        return next((p for p in self.providers if p.id == provider_id), None)


def frozen_mapping(value: Mapping | None) -> Mapping | None:
    """A read-only view of a nested value taken from an answer (an address)."""
    return MappingProxyType(dict(value)) if value is not None else None


def frozen_translations(value: Mapping | None) -> Mapping:
    """Catalog texts per language from an answer, read-only at both levels (an answer may be missing them)."""
    return MappingProxyType({language: MappingProxyType(dict(texts)) for language, texts in (value or {}).items()})


def plain_translations(value: Mapping) -> dict:
    """The texts as a booking stores and shows them (plain dicts: the datastore takes no read-only views)."""
    return {language: dict(texts) for language, texts in value.items()}
