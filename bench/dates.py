"""Dates to ask about: bookable ones (past the 24 h minimum notice, inside the 90-day horizon)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone


def first_bookable_monday(today: date | None = None, notice_days: int = 3) -> date:
    """A Monday at least `notice_days` ahead: the synthetic practice works Monday to Friday."""
    start = (today or datetime.now(timezone.utc).date()) + timedelta(days=notice_days)
    return start + timedelta(days=(7 - start.weekday()) % 7)


def span(first: date, days: int) -> tuple[str, str]:
    """(from, to) as the API takes them: `days` calendar days, both ends included."""
    return first.isoformat(), (first + timedelta(days=days - 1)).isoformat()
