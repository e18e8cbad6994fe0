"""Special hours nobody works (domain/staffing.py): the dates a 201 would otherwise hide."""
from datetime import date

from locations.domain.staffing import unstaffed_dates, unstaffed_warning

DAY = [{"open": "08:00", "close": "17:00"}]
CLINIC = {"_id": "paragould", "timezone": "America/Chicago", "hours": {"mon": DAY, "tue": DAY}}


def special(first, last, intervals=({"open": "09:00", "close": "13:00"},), provider_ids=()):
    return {"id": "c", "from": first, "to": last, "reason": "clinic day", "intervals": list(intervals) if intervals else None,
            "provider_ids": list(provider_ids), "created_at": 1}


def with_(closure):
    return {**CLINIC, "closures": [closure]}


def provider(schedule, active=True):
    return {"_id": "p", "active": active, "schedules": {"paragould": schedule}}


def test_special_hours_on_a_day_nobodys_schedule_covers():
    saturday_to_monday = special("2026-12-12", "2026-12-14")
    dates = unstaffed_dates(with_(saturday_to_monday), saturday_to_monday, [provider({"mon": DAY})])
    assert dates == [date(2026, 12, 12), date(2026, 12, 13)]  # Monday is worked
    [warning] = unstaffed_warning(dates)
    assert "2026-12-12, 2026-12-13" in warning and "no times will be offered" in warning


def test_an_inactive_providers_schedule_does_not_staff_anything():
    monday = special("2026-12-14", "2026-12-14")
    assert unstaffed_dates(with_(monday), monday, [provider({"mon": DAY}, active=False)]) == [date(2026, 12, 14)]


def test_named_staff_or_a_full_closure_need_no_warning():
    named = special("2026-12-12", "2026-12-12", provider_ids=["p"])
    assert unstaffed_dates(with_(named), named, []) == []
    closed = special("2026-12-12", "2026-12-12", intervals=None)
    assert unstaffed_dates(with_(closed), closed, []) == [] and unstaffed_warning([]) == []


def test_a_schedule_that_only_touches_the_special_hours_does_not_work_them():
    monday = special("2026-12-14", "2026-12-14")
    afternoon = {"mon": [{"open": "13:00", "close": "17:00"}]}
    assert unstaffed_dates(with_(monday), monday, [provider(afternoon)]) == [date(2026, 12, 14)]
