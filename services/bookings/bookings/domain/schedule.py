"""What bookings knows of the practice when it books: one location's visit type and its providers'
working windows, as typed, immutable values.

They are built once per answer from locations (adapters/working_windows.py) and then cached and
shared between threads, which is why nothing here can be changed after it is made.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from types import MappingProxyType
from typing import Mapping

from bookings.domain.slots import Service, Span


@dataclass(frozen=True)
class Location:
    id: str
    name: str
    timezone: str
    address: Mapping | None = None
    phone: str | None = None

    def snapshot(self) -> dict:
        """What a booking keeps of the location, so its messages stay true if the records change."""
        address = dict(self.address) if self.address is not None else None
        return {"name": self.name, "address": address, "phone": self.phone, "timezone": self.timezone}


@dataclass(frozen=True)
class VisitType:
    id: str
    name: str
    duration_minutes: int
    buffer_minutes: int
    requires_confirmation: bool

    @property
    def cadence(self) -> Service:
        """The visit's length and the buffer after it: what the slot rules work with."""
        return Service(timedelta(minutes=self.duration_minutes), timedelta(minutes=self.buffer_minutes))

    def snapshot(self) -> dict:
        return {"name": self.name, "duration_minutes": self.duration_minutes, "buffer_minutes": self.buffer_minutes}


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
