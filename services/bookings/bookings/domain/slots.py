"""Which start times are bookable: the one place for grid, notice, horizon, buffers and overlaps.

- A provider's working windows come from the locations service as UTC instants (hours,
  closures, schedules, licensure and DST already applied there).
- Slot starts step on a grid from the opening of each window; the step is the service's
  cadence (duration + buffer), so a 50-minute session with a 10-minute buffer starts on the hour.
- The visit itself lies inside the window; the buffer after it keeps the provider free and
  must not overlap another booking's visit or buffer (it may run past closing time).
- A start is at least `min_notice` ahead of now and less than `horizon` ahead.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable


@dataclass(frozen=True)
class Policy:
    min_notice: timedelta = timedelta(hours=24)
    horizon: timedelta = timedelta(days=90)


@dataclass(frozen=True)
class Service:
    duration: timedelta
    buffer: timedelta

    @property
    def step(self) -> timedelta:
        return self.duration + self.buffer


@dataclass(frozen=True)
class Span:
    """A half-open interval [start, end) of UTC instants."""

    start: datetime
    end: datetime

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end


def blocked_span(start: datetime, service: Service) -> Span:
    """What a booking keeps its provider from: the visit and the buffer after it."""
    return Span(start, start + service.step)


def grid_starts(window: Span, service: Service):
    start = window.start
    while start + service.duration <= window.end:
        yield start
        start += service.step


def is_bookable(start: datetime, service: Service, busy: list[Span], now: datetime, policy: Policy) -> bool:
    """A grid start is free: past the notice, inside the horizon, and its visit + buffer clear of `busy`."""
    return bookable(service, busy, now, policy)(start)


def bookable(service: Service, busy: list[Span], now: datetime, policy: Policy) -> Callable[[datetime], bool]:
    """is_bookable for the many starts of one provider: the bounds are worked out once, and a
    provider with nothing booked skips the overlap test (availability asks this thousands of times)."""
    earliest, latest, step = now + policy.min_notice, now + policy.horizon, service.step
    if not busy:
        return lambda start: earliest <= start < latest
    # start + step is blocked_span(start, service).end: the visit and the buffer after it
    return lambda start: earliest <= start < latest and not any(start < b.end and b.start < start + step for b in busy)


def start_refusal(start: datetime, windows: list[Span], service: Service, now: datetime, policy: Policy) -> str | None:
    """Why `start` could never be booked (None when it could): never bookable, as opposed to a taken slot."""
    if start < now:
        return "is in the past"
    if start < now + policy.min_notice:
        return f"is sooner than the minimum notice of {_hours(policy.min_notice)} hours"
    if start >= now + policy.horizon:
        return f"is beyond the booking horizon of {policy.horizon.days} days"
    inside = [w for w in windows if w.start <= start and start + service.duration <= w.end]
    if not inside:
        return "is outside the provider's working hours at this location"
    if not any(start == s for s in grid_starts(inside[0], service)):
        return f"is not on the {int(service.step.total_seconds() // 60)}-minute grid from opening time"
    return None


def _hours(delta: timedelta) -> int:
    return int(delta.total_seconds() // 3600)
