"""Slot rules as the fast path applies them: the start instants free_slots offers one provider.

Table and property tests state the rules about starts; availability's free_slots is the one
function that applies them, so the tests go through it (on a one-provider schedule in UTC)."""
from __future__ import annotations

from datetime import datetime

from bookings.domain.availability import free_slots
from bookings.domain.schedule import Location, Provider, Schedule, VisitType
from bookings.domain.slots import Policy, Service, Span


def _minutes(delta) -> int:
    return int(delta.total_seconds() // 60)


def one_provider(windows: list[Span], service: Service, provider_id: str = "p") -> Schedule:
    visit = VisitType("svc", "Visit", _minutes(service.duration), _minutes(service.buffer), False)
    provider = Provider(provider_id, "Provider", "LCSW", tuple(windows))
    return Schedule(Location("loc", "Clinic", "UTC"), visit, "in_person", (provider,))


def offered_starts(windows: list[Span], busy: list[Span], service: Service, now: datetime,
                   policy: Policy) -> list[datetime]:
    """Every bookable start in `windows` for one provider, given what is already `busy` (UTC instants)."""
    slots = free_slots(one_provider(windows, service), {"p": busy}, now, policy)
    return [datetime.fromisoformat(slot.start) for slot in slots]
