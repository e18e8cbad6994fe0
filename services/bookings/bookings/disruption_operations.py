"""Re-judging bookings after a schedule change at locations (README: Disruptions).

A scan takes the requested and confirmed bookings not yet ended, up to the horizon, at a location
and/or with a provider; asks locations afresh (never the cache) what the schedule now is; and for
each booking whose fit changed writes one compare-and-set with its event:

- newly not fitting: `disruption` set, `booking.disrupted` published (through the outbox, with the write);
- disrupted and fitting again: `disruption` cleared, `booking.disruption_cleared` published (every
  change of a booking has its event, so consumers that order a booking's events by version see no gap);
- otherwise nothing is written. So a scan repeated for a redelivered event, or run twice at once
  (the staff write's synchronous scan and the worker's), publishes nothing twice.

Nothing is cancelled: staff and the patient decide (reschedule, telehealth, cancel).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable

from bookings.domain.disruption import (DayRule, Finding, Standing, disruption_of, disruption_record, disruption_under,
                                        fits)
from bookings.domain.lifecycle import CONFIRMED, REQUESTED
from bookings.domain.slots import Span
from bookings.domain.waitlist import TELEHEALTH

DISRUPTED, CLEARED = "booking.disrupted", "booking.disruption_cleared"
CAS_ATTEMPTS = 5


@dataclass
class DisruptionDeps:
    bookings: object          # store/bookings.py BookingRepository
    standing: object          # adapters/clinic_standing.py ClinicStanding
    ledger: object            # store/ledger.py Ledger (is the same time free by telehealth?)
    horizon: timedelta
    clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)


@dataclass
class ScanResult:
    disrupted: list[str] = field(default_factory=list)
    cleared: list[str] = field(default_factory=list)
    still: int = 0
    recent: int = 0  # already disrupted, but since `since`: by another scan of the same change

    @property
    def by_this_change(self) -> int:
        return len(self.disrupted) + self.recent


def scan(deps: DisruptionDeps, location_id: str | None = None, provider_id: str | None = None,
         since: datetime | None = None) -> ScanResult:
    """Judge the affected bookings against the schedule as locations has it now. `since`: when the change
    was made; a booking found disrupted since then was disrupted by it (the worker's scan of the same change
    may come first), so the staff answer counts it."""
    now, result = deps.clock(), ScanResult()
    bookings = deps.bookings.still_changeable(now, now + deps.horizon, location_id, provider_id)
    active: dict[str, bool] = {}
    telehealth = TelehealthOptions(deps, bookings)
    for key, group in _groups(bookings).items():
        hours = deps.standing.hours(key[0], *_days(group), service_id=key[1], patient_state=key[2])
        if hours is None:
            continue  # locations cannot answer for these any more (a retired service): not a schedule change
        for booking in group:
            windows = hours.windows.get(booking["provider_id"], ())
            if booking["provider_id"] not in active:
                active[booking["provider_id"]] = bool(windows) or deps.standing.provider_active(booking["provider_id"])
            finding = disruption_of(_visit(booking), hours.clinic, Standing(active[booking["provider_id"]], windows))
            _settle(deps, booking, finding, now, result, telehealth, since)
    return result


def preview(deps: DisruptionDeps, location_id: str, proposed: DayRule,
            provider_ids: frozenset[str] = frozenset()) -> list[tuple[dict, Finding]]:
    """The active bookings ahead at a location that a closure or special hours not saved yet would disrupt,
    soonest first, with why. Reads only: nothing is written or published (the save's scan does that)."""
    now = deps.clock()
    first = datetime.combine(proposed.first - timedelta(days=1), datetime.min.time(), timezone.utc)
    last = datetime.combine(proposed.last + timedelta(days=2), datetime.min.time(), timezone.utc)
    if last <= now:
        return []
    bookings = [b for b in deps.bookings.still_changeable(now, min(last, now + deps.horizon), location_id)
                if _aware(b["end"]) > first and b.get("disruption") is None]  # disrupted ones are listed already
    found = []
    for key, group in _groups(bookings).items():
        hours = deps.standing.hours(key[0], *_days(group), service_id=key[1], patient_state=key[2])
        if hours is None:
            continue
        for booking in group:
            standing = Standing(True, hours.windows.get(booking["provider_id"], ()))
            finding = disruption_under(_visit(booking), hours.clinic, standing, proposed,
                                       named=booking["provider_id"] in provider_ids)
            if finding is not None:
                found.append((booking, finding))
    return sorted(found, key=lambda pair: pair[0]["start"])


def _groups(bookings: list[dict]) -> dict[tuple, list[dict]]:
    """One working-windows question per location, visit type and (for telehealth) patient's state."""
    groups: dict[tuple, list[dict]] = {}
    for booking in bookings:
        state = booking["patient"]["state"] if booking["modality"] == TELEHEALTH else None
        groups.setdefault((booking["location_id"], booking["service_id"], state), []).append(booking)
    return groups


def _days(group: list[dict]):
    """The UTC dates around the group's visits: a day either side covers every zone's idea of a date."""
    first = min(b["start"] for b in group).astimezone(timezone.utc).date()
    last = max(b["end"] for b in group).astimezone(timezone.utc).date()
    return first - timedelta(days=1), last + timedelta(days=1)


def _visit(booking: dict) -> Span:
    return Span(_aware(booking["start"]), _aware(booking["end"]))


def _aware(instant: datetime) -> datetime:
    return instant if instant.tzinfo else instant.replace(tzinfo=timezone.utc)


def _settle(deps: DisruptionDeps, booking: dict, finding: Finding | None, now: datetime, result: ScanResult,
            telehealth: "TelehealthOptions", since: datetime | None = None) -> None:
    """One compare-and-set when the booking's fit changed; re-read and re-decide after a lost race."""
    for _ in range(CAS_ATTEMPTS):
        had = booking.get("disruption")
        if (finding is None) == (had is None):
            if finding is not None and since is not None and _aware(had["detected_at"]) >= since:
                result.recent += 1
            else:
                result.still += finding is not None
            return
        if finding is not None:
            new, event = {**booking, "disruption": disruption_record(finding, now, telehealth.open(booking))}, DISRUPTED
        else:
            new, event = {**booking, "disruption": None}, CLEARED
        if deps.bookings.replace_if_unchanged(booking, new, event) is not None:
            (result.disrupted if finding is not None else result.cleared).append(booking["_id"])
            return
        current = deps.bookings.get(booking["_id"])
        if current is None or current["status"] not in (REQUESTED, CONFIRMED) or current["start"] != booking["start"]:
            return  # cancelled or moved meanwhile: its own change decided (a move clears the disruption)
        booking = current


class TelehealthOptions:
    """Is the same time bookable by telehealth for this patient: the visit type is offered by telehealth, the
    provider is licensed in the patient's state and works then at a telehealth location, and nobody else has it.

    One scan asks this of every booking it disrupts, so the answers are shared across them: the telehealth
    locations once, one working-windows answer per telehealth location, visit type and patient's state over
    the scan's dates (every eligible provider's windows), and one ledger read for every provider the scan
    touches, all asked on first need. A closure over a full day of bookings then costs locations a few
    questions, not two per booking (bench/disruption.py counts them)."""

    def __init__(self, deps: DisruptionDeps, bookings: list[dict]):
        self._deps, self._bookings = deps, bookings
        self._places: list[str] | None = None
        self._hours: dict[tuple, object] = {}
        self._busy: dict[str, list[Span]] | None = None

    def open(self, booking: dict) -> bool:
        if booking["modality"] == TELEHEALTH:
            return False  # already telehealth: its own windows are what changed
        visit = _visit(booking)
        blocked = Span(visit.start, _aware(booking["blocked_until"]))
        for location_id in self._telehealth_locations():
            hours = self._telehealth_hours(location_id, booking["service_id"], booking["patient"]["state"])
            if hours is not None and fits(visit, hours.windows.get(booking["provider_id"], ())):
                busy = [span for span in self._busy_of(booking["provider_id"]) if span.overlaps(blocked)]
                return all(span == blocked for span in busy)  # only this booking's own span
        return False

    def _telehealth_locations(self) -> list[str]:
        if self._places is None:
            self._places = self._deps.standing.telehealth_locations()
        return self._places

    def _telehealth_hours(self, location_id: str, service_id: str, state: str):
        key = (location_id, service_id, state)
        if key not in self._hours:
            self._hours[key] = self._deps.standing.hours(location_id, *_days(self._bookings), service_id=service_id,
                                                         patient_state=state)
        return self._hours[key]

    def _busy_of(self, provider_id: str) -> list[Span]:
        if self._busy is None:
            providers = sorted({b["provider_id"] for b in self._bookings})
            within = Span(min(_aware(b["start"]) for b in self._bookings),
                          max(_aware(b["blocked_until"]) for b in self._bookings))
            self._busy = self._deps.ledger.busy(providers, within)
        return self._busy.get(provider_id, [])


def scope_of_event(event_type: str, data: dict) -> dict | None:
    """Which bookings a schedule event may disrupt: a location's, a provider's; None for a visit type's
    change (its length or modalities are not a schedule change: existing bookings keep what they were)."""
    if event_type.startswith("location.") and data.get("id"):
        return {"location_id": data["id"]}
    if event_type.startswith("provider.") and data.get("id"):
        return {"provider_id": data["id"]}
    return None


def disruption_deps(db, settings, clock: Callable[[], datetime] | None = None, fast=None) -> DisruptionDeps:
    """The scan's stores and adapters (`fast`: a FastPath's attach, so the events leave at once)."""
    from clinic_common.http import timeout_from

    from bookings.adapters.clinic_standing import ClinicStanding
    from bookings.store.bookings import BookingRepository
    from bookings.store.ledger import Ledger

    clock = clock or (lambda: datetime.now(timezone.utc))
    bookings = BookingRepository(db)
    return DisruptionDeps(bookings=fast(bookings) if fast is not None else bookings,
                          standing=ClinicStanding(settings.service_urls["locations"], timeout_from(settings)),
                          ledger=Ledger(db, clock=clock), horizon=scan_horizon(settings), clock=clock)


def scan_horizon(settings) -> timedelta:
    """As far ahead as bookings exist: the booking horizon, or a series' later visits when further."""
    return timedelta(days=max(settings.booking_horizon_days, settings.series_horizon_days))
