"""Whether an active booking still fits the clinic's schedule, and if not, why (README: Disruptions).

A booking fits while its visit lies inside one of its provider's working windows at its location,
as locations computes them today (weekly hours, closures, special hours, the provider's schedule
and active flag all applied there). When it does not, the reason names the first change that
explains it, in this order: the provider is inactive; a closure covers the visit's date; special
hours that day leave the visit out; the weekly hours leave it out; else the provider's own schedule
(or what they offer, or where they are licensed) no longer covers it. Dates and wall-clock times
are the location's, through zoneinfo, so a visit on a DST day is judged by the clinic's clock.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bookings.domain.slots import Span

CLOSURE, SPECIAL_HOURS, HOURS = "closure", "special_hours", "hours"
PROVIDER_SCHEDULE, PROVIDER_INACTIVE = "provider_schedule", "provider_inactive"
REASONS = (CLOSURE, SPECIAL_HOURS, HOURS, PROVIDER_SCHEDULE, PROVIDER_INACTIVE)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

Interval = tuple[time, time]  # wall-clock open, close at the location


@dataclass(frozen=True)
class DayRule:
    """A closure (`intervals` None: closed all day) or special hours, over `first`..`last`."""

    first: date
    last: date
    intervals: tuple[Interval, ...] | None = None
    reason: str | None = None

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last


@dataclass(frozen=True)
class ClinicDays:
    """The location's calendar: its zone, weekly hours (by weekday key) and closures in the order made."""

    timezone: str
    weekly: dict[str, tuple[Interval, ...]]
    rules: tuple[DayRule, ...] = ()

    def rule_on(self, day: date) -> DayRule | None:
        """The rule that applies that day: a full closure wins; among special hours the last made."""
        covering = [r for r in self.rules if r.covers(day)]
        full = [r for r in covering if r.intervals is None]
        return (full or covering or [None])[-1]


@dataclass(frozen=True)
class Standing:
    """What the booking's provider is now, at the booking's location around its date."""

    active: bool
    windows: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Finding:
    reason: str
    detail: str


def fits(visit: Span, windows: tuple[Span, ...]) -> bool:
    """The visit (not its buffer, which may run past closing) lies inside one working window."""
    return any(w.start <= visit.start and visit.end <= w.end for w in windows)


def disruption_of(visit: Span, clinic: ClinicDays, provider: Standing) -> Finding | None:
    """None while the booking fits; else the reason and a short English sentence for staff."""
    if provider.active and fits(visit, provider.windows):
        return None
    zone = ZoneInfo(clinic.timezone)
    start, end = visit.start.astimezone(zone), visit.end.astimezone(zone)
    day, wall = start.date(), (start.time(), end.time() if end.date() == start.date() else time.max)
    when = f"{day.isoformat()} {wall[0].strftime('%H:%M')}"
    if not provider.active:
        return Finding(PROVIDER_INACTIVE, f"The provider no longer sees patients (visit {when}).")
    rule = clinic.rule_on(day)
    if rule is not None and rule.intervals is None:
        return Finding(CLOSURE, f"The clinic is closed on {day.isoformat()}{_because(rule)}.")
    if rule is not None and not _inside(wall, rule.intervals):
        return Finding(SPECIAL_HOURS, f"Special hours on {day.isoformat()}{_because(rule)} "
                                      f"({_listed(rule.intervals)}) leave out the visit at {when[11:]}.")
    weekly = clinic.weekly.get(WEEKDAYS[day.weekday()], ())
    if rule is None and not _inside(wall, weekly):
        return Finding(HOURS, f"The clinic's {WEEKDAYS[day.weekday()].title()} hours "
                              f"({_listed(weekly) or 'closed'}) leave out the visit at {when[11:]}.")
    return Finding(PROVIDER_SCHEDULE, f"The provider no longer works here at {when} "
                                      f"(their schedule, visit types or licences changed).")


def _inside(wall: Interval, intervals) -> bool:
    return any(opened <= wall[0] and wall[1] <= closed for opened, closed in intervals or ())


def _listed(intervals) -> str:
    return ", ".join(f"{a.strftime('%H:%M')}-{b.strftime('%H:%M')}" for a, b in intervals or ())


def _because(rule: DayRule) -> str:
    return f" ({rule.reason})" if rule.reason else ""


def disruption_record(finding: Finding, detected_at: datetime, telehealth: bool) -> dict:
    """The stored (and shown) disruption: shared decision 3's shape."""
    return {"reason": finding.reason, "detail": finding.detail, "detected_at": detected_at,
            "options": {"reschedule": True, "telehealth": telehealth, "cancel": True}}


def disruption_under(visit: Span, clinic: ClinicDays, provider: Standing, proposed: DayRule,
                     named: bool = False) -> Finding | None:
    """What a proposed closure or special hours (not saved yet) would do to a booking that fits today:
    the same rule as `disruption_of`, judged on the calendar with `proposed` made last and the provider's
    windows on the dates it covers as locations would then compute them (closed: none; special hours:
    the provider's windows clipped to them, or, for a provider the special hours name, those hours in
    full). None for a booking that would still fit, and for one that does not fit today (it is disrupted
    already: not this change's doing). A provider's weekly schedule lies inside the clinic's weekly
    hours (locations refuses any other), so clipping today's windows is what locations would compute;
    where earlier special hours named the provider that day, the preview may miss a disruption the save
    then counts."""
    if disruption_of(visit, clinic, provider) is not None:
        return None
    then = ClinicDays(clinic.timezone, clinic.weekly, clinic.rules + (proposed,))
    return disruption_of(visit, then, Standing(provider.active, _windows_under(provider.windows, clinic.timezone,
                                                                                proposed, named, visit)))


def _windows_under(windows: tuple[Span, ...], zone_name: str, proposed: DayRule, named: bool,
                   visit: Span) -> tuple[Span, ...]:
    zone = ZoneInfo(zone_name)
    on = lambda span: span.start.astimezone(zone).date()  # noqa: E731 - the clinic's date of a window
    kept = tuple(w for w in windows if not proposed.covers(on(w)))
    if proposed.intervals is None:
        return kept
    day = on(visit)
    hours = tuple(Span(datetime.combine(day, a, zone), datetime.combine(day, b, zone)) for a, b in proposed.intervals)
    if named:
        return kept + (hours if proposed.covers(day) else ())
    clipped = (Span(max(w.start, h.start), min(w.end, h.end)) for w in windows if proposed.covers(on(w)) for h in hours
               if on(w) == day)
    return kept + tuple(s for s in clipped if s.start < s.end)
