"""What a series is: a visit repeated every 1, 2 or 4 weeks, each occurrence judged on its own.

- Occurrences keep the first visit's wall-clock time in the clinic's zone (10:00 stays 10:00
  across both DST changes; the UTC instant moves by an hour). A wall time that does not exist
  or happens twice is read as locations reads opening hours (domain/zones.py there): fold=0.
- The first visit obeys the usual notice and horizon (a refusal, like a single booking); later
  ones may run to the series horizon. Each occurrence is then checked against everything a
  single booking is, and a conflict names its reason and offers the same provider's free
  slots that week, nearest first.
- The series document lists its occurrences' booking ids and spans from the start (status
  `pending`), so housekeeping can finish or undo a creation that died half-way
  (series_housekeeping.py).
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from bookings.domain.availability import FreeSlot, free_slots
from bookings.domain.errors import NotBookable, SeriesInvalid
from bookings.domain.schedule import Provider, Schedule
from bookings.domain.slots import Policy, Span, blocked_span, grid_starts

EVERY_WEEKS = (1, 2, 4)
MAX_OCCURRENCES = 26
ALTERNATIVES = 3
FREE, CONFLICT = "free", "conflict"
CLOSED, BOOKED, OUTSIDE_HOURS, NOT_LICENSED, BEYOND_HORIZON = (
    "closed", "booked", "outside_hours", "not_licensed", "beyond_horizon")
REASONS = (CLOSED, BOOKED, OUTSIDE_HOURS, NOT_LICENSED, BEYOND_HORIZON)
PENDING, ACTIVE, CANCELLED, FAILED = "pending", "active", "cancelled", "failed"
STATUSES = (PENDING, ACTIVE, CANCELLED, FAILED)
ALL, AVAILABLE = "all", "available"
CREATED_EVENT, CANCELLED_EVENT = "series.created", "series.cancelled"
SERIES_ID = re.compile(r"^[0-9a-f]{32}$")


def new_series_id() -> str:
    return uuid.uuid4().hex


def is_series_id(value: str) -> bool:
    return bool(SERIES_ID.match(value or ""))


def occurrence_starts(first: datetime, zone: str, every_weeks: int, count: int | None = None,
                      until: date | None = None) -> list[datetime]:
    """UTC starts at the first visit's wall-clock time, every `every_weeks` weeks: `count` of them,
    or every one whose local date is on or before `until` (at most MAX_OCCURRENCES either way)."""
    tz = ZoneInfo(zone)
    local = first.astimezone(tz)
    wall = time(local.hour, local.minute, local.second)
    starts = []
    for n in range(count if count is not None else MAX_OCCURRENCES):
        day = local.date() + timedelta(weeks=n * every_weeks)
        if until is not None and day > until:
            break
        starts.append(datetime.combine(day, wall, tzinfo=tz).astimezone(timezone.utc))
    return starts


def check_until(until: date | None, now: datetime, horizon: timedelta, zone: str) -> None:
    """`until` past the series horizon is refused, not silently cut short."""
    if until is not None and until > (now + horizon).astimezone(ZoneInfo(zone)).date():
        raise SeriesInvalid("A series may run at most as far ahead as the series horizon.",
                            {"until": [f"is beyond the series horizon of {horizon.days} days"]})


def check_first(start: datetime, now: datetime, policy: Policy) -> None:
    """The first visit obeys the same notice and horizon as any single booking."""
    refusal = None
    if start < now:
        refusal = "is in the past"
    elif start < now + policy.min_notice:
        refusal = f"is sooner than the minimum notice of {int(policy.min_notice.total_seconds() // 3600)} hours"
    elif start >= now + policy.horizon:
        refusal = f"is beyond the booking horizon of {policy.horizon.days} days"
    if refusal:
        raise NotBookable(f"The first visit {refusal}.", "start", refusal)


@dataclass(frozen=True)
class Occurrence:
    """One occurrence as a preview shows it: instants in the clinic's zone, why it conflicts, what instead."""

    start: datetime
    end: datetime
    reason: str | None = None
    alternatives: tuple[FreeSlot, ...] = ()

    @property
    def status(self) -> str:
        return FREE if self.reason is None else CONFLICT


@dataclass(frozen=True)
class Judge:
    """What every occurrence of one series is judged against."""

    schedule: Schedule
    provider_id: str
    licensed: bool
    busy: tuple[Span, ...]
    now: datetime
    policy: Policy          # the first visit's notice; the series horizon as horizon

    def reason(self, start: datetime) -> str | None:
        cadence = self.schedule.visit_type.cadence
        if start >= self.now + self.policy.horizon:
            return BEYOND_HORIZON
        if not self.licensed:
            return NOT_LICENSED
        if self.schedule.location.closed_on(start.astimezone(ZoneInfo(self.schedule.location.timezone)).date()):
            return CLOSED
        provider = self.schedule.provider(self.provider_id)
        windows = provider.windows if provider else ()
        if not any(start in set(grid_starts(w, cadence)) for w in windows if w.start <= start < w.end):
            return OUTSIDE_HOURS
        blocked = blocked_span(start, cadence)
        if any(blocked.overlaps(b) for b in self.busy):
            return BOOKED
        return None

    def occurrence(self, start: datetime) -> Occurrence:
        zone = ZoneInfo(self.schedule.location.timezone)
        reason = self.reason(start)
        alternatives = self.alternatives(start) if reason not in (None, NOT_LICENSED) else ()
        end = start + self.schedule.visit_type.cadence.duration
        return Occurrence(start.astimezone(zone), end.astimezone(zone), reason, alternatives)

    def alternatives(self, start: datetime) -> tuple[FreeSlot, ...]:
        """The provider's free slots in the occurrence's week (Monday to Sunday, local), nearest first."""
        zone = ZoneInfo(self.schedule.location.timezone)
        local_day = start.astimezone(zone).date()
        monday = local_day - timedelta(days=local_day.weekday())
        week = Span(datetime.combine(monday, time(0), tzinfo=zone), datetime.combine(monday + timedelta(days=7),
                                                                                     time(0), tzinfo=zone))
        provider = self.schedule.provider(self.provider_id)
        if provider is None:
            return ()
        windows = tuple(w for w in provider.windows if week.start <= w.start < week.end)
        only = Schedule(self.schedule.location, self.schedule.visit_type, self.schedule.modality,
                        (Provider(provider.id, provider.name, provider.credentials, windows),))
        slots = free_slots(only, {provider.id: list(self.busy)}, self.now, self.policy)
        slots.sort(key=lambda s: (abs(datetime.fromisoformat(s.start) - start), s.start))
        return tuple(slots[:ALTERNATIVES])


def judge_all(judge: Judge, starts: list[datetime]) -> list[Occurrence]:
    return [judge.occurrence(start) for start in starts]


def merged(schedules: list[Schedule]) -> Schedule:
    """One schedule from answers for consecutive date ranges (locations answers at most 92 days at once)."""
    first = schedules[0]
    windows: dict[str, list] = {}
    providers: dict[str, Provider] = {}
    for schedule in schedules:
        for provider in schedule.providers:
            providers.setdefault(provider.id, provider)
            windows.setdefault(provider.id, []).extend(provider.windows)
    joined = tuple(Provider(p.id, p.name, p.credentials, tuple(sorted(set(windows[p.id]), key=lambda w: w.start)))
                   for p in providers.values())
    return Schedule(first.location, first.visit_type, first.modality, joined)


@dataclass(frozen=True)
class ProviderRecord:
    """What the practice's catalog says of a provider, enough to tell "not licensed" from "never sees this"."""

    id: str
    active: bool
    service_ids: frozenset[str]
    location_ids: frozenset[str]
    licensed_states: frozenset[str]


def licensure_only(record: ProviderRecord | None, service_id: str, location_id: str, state: str | None) -> bool:
    """The provider would see this visit here, were they licensed where the patient (or the clinic) is."""
    return (record is not None and record.active and service_id in record.service_ids
            and location_id in record.location_ids and state not in record.licensed_states)


def required_state(schedule: Schedule, patient_state: str) -> str | None:
    """Licensure follows the patient by telehealth, the clinic in person (as locations' eligibility says)."""
    if schedule.modality == "telehealth":
        return patient_state
    return (schedule.location.address or {}).get("state")


def planned(booking_docs: list[dict]) -> list[dict]:
    """What the series keeps of each occurrence it books: enough to finish or undo it without the bookings."""
    return [{"booking_id": doc["_id"], "start": doc["start"], "end": doc["end"], "blocked_until": doc["blocked_until"],
             "status": doc["status"], "version": doc.get("version", 1)} for doc in booking_docs]


def series_document(request: dict, schedule: Schedule, *, series_id: str, token_hash: str,
                    occurrences: list[dict]) -> dict:
    """A new series, pending until its bookings are stored (series_operations.py says why)."""
    location, visit_type = schedule.location, schedule.visit_type
    return {
        "_id": series_id, "status": PENDING, "accept": request["accept"],
        "service_id": visit_type.id, "provider_id": request["provider_id"], "location_id": location.id,
        "modality": schedule.modality, "every_weeks": request["every_weeks"], "timezone": location.timezone,
        "patient": dict(request["patient"]),
        "service": visit_type.snapshot(), "provider": schedule.provider(request["provider_id"]).snapshot(),
        "location": location.snapshot(),
        "occurrences": occurrences, "cancelled_from": None, "cancelling": None,
        "manage_token_hash": token_hash,
    }


def with_bookings(series: dict, bookings: dict[str, dict]) -> dict:
    """The series with each occurrence as its booking stands now (moved, cancelled); unknown ones dropped."""
    occurrences = []
    for occurrence in series["occurrences"]:
        booking = bookings.get(occurrence["booking_id"])
        if booking is not None:
            occurrences.append({**occurrence, "start": booking["start"], "end": booking["end"],
                                "status": booking["status"], "version": booking.get("version")})
    return {**series, "occurrences": occurrences}
