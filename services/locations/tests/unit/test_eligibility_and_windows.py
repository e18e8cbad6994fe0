from datetime import date, datetime, timezone

import pytest

from locations.domain.eligibility import Request, is_eligible, request_errors
from locations.domain.windows import schedule_outside_hours, working_windows

CLINIC = {"id": "jonesboro", "name": "Jonesboro", "timezone": "America/Chicago", "modalities": ["in_person"],
          "address": {"state": "AR"}, "closures": [],
          "hours": {d: [{"open": "08:00", "close": "17:00"}] for d in ("mon", "tue", "wed", "thu", "fri")}}
TELE = {"id": "telehealth", "name": "Telehealth", "timezone": "America/Chicago", "modalities": ["telehealth"],
        "address": None, "closures": [], "hours": {"mon": [{"open": "08:00", "close": "20:00"}]}}
CBT = {"id": "svc-cbt", "name": "CBT", "provider_role": "therapist", "modalities": ["in_person", "telehealth"]}
MED = {"id": "svc-med", "name": "Medication follow-up", "provider_role": "prescriber", "modalities": ["telehealth"]}
THERAPIST = {"id": "t1", "role": "therapist", "service_ids": ["svc-cbt"], "languages": ["en", "es"],
             "licensed_states": ["AR"], "active": True,
             "schedules": {"jonesboro": {"mon": [{"open": "09:00", "close": "12:00"}]},
                           "telehealth": {"mon": [{"open": "17:00", "close": "20:00"}]}}}
NURSE = {"id": "np1", "role": "prescriber", "service_ids": ["svc-med"], "languages": ["en"],
         "licensed_states": ["DE", "MD"], "active": True,
         "schedules": {"telehealth": {"mon": [{"open": "08:00", "close": "17:00"}]}}}


@pytest.mark.parametrize("provider, query, eligible", [
    (THERAPIST, Request(CLINIC, CBT), True),
    (THERAPIST, Request(CLINIC, CBT, language="es"), True),
    (THERAPIST, Request(CLINIC, CBT, language="fr"), False),
    (THERAPIST, Request(CLINIC, MED), False),                                   # wrong role
    (THERAPIST, Request(CLINIC, CBT, provider_id="other"), False),
    ({**THERAPIST, "active": False}, Request(CLINIC, CBT), False),
    ({**THERAPIST, "licensed_states": ["TN"]}, Request(CLINIC, CBT), False),   # in person: the clinic's state
    (THERAPIST, Request(TELE, CBT, patient_state="AR"), True),
    (THERAPIST, Request(TELE, CBT, patient_state="MD"), False),                # telehealth: the patient's state
    (NURSE, Request(TELE, MED, patient_state="MD"), True),
    (NURSE, Request(TELE, MED, patient_state="AR"), False),
    (NURSE, Request(CLINIC, None), False),                                     # no schedule at the clinic
])
def test_eligibility(provider, query, eligible):
    assert is_eligible(provider, query) is eligible


@pytest.mark.parametrize("query, field", [
    (Request(TELE, CBT), "patient_state"),
    (Request(CLINIC, MED), "service_id"),
])
def test_requests_that_can_never_match(query, field):
    assert field in request_errors(query)


def _utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


def test_windows_are_the_schedule_clipped_to_effective_hours_in_utc():
    schedule = {"mon": [{"open": "07:00", "close": "09:30"}, {"open": "16:00", "close": "18:00"}]}
    windows = working_windows(CLINIC, schedule, date(2026, 12, 7), date(2026, 12, 8))
    assert [(w.start, w.end) for w in windows] == [(_utc(2026, 12, 7, 14), _utc(2026, 12, 7, 15, 30)),
                                                   (_utc(2026, 12, 7, 22), _utc(2026, 12, 7, 23))]


def test_closures_and_special_hours_shape_the_windows():
    closures = [{"from": date(2026, 12, 7), "to": date(2026, 12, 7), "intervals": None, "reason": "training",
                 "created_at": _utc(2026, 1, 1)},
                {"from": date(2026, 12, 14), "to": date(2026, 12, 14), "intervals": [{"open": "10:00", "close": "11:00"}],
                 "reason": "short day", "created_at": _utc(2026, 1, 1)}]
    windows = working_windows({**CLINIC, "closures": closures}, THERAPIST["schedules"]["jonesboro"],
                              date(2026, 12, 7), date(2026, 12, 14))
    assert [(w.date, w.start, w.end) for w in windows] == [(date(2026, 12, 14), _utc(2026, 12, 14, 16), _utc(2026, 12, 14, 17))]


@pytest.mark.parametrize("day, start, end", [
    (date(2026, 3, 9), _utc(2026, 3, 9, 14), _utc(2026, 3, 9, 17)),     # the Monday after spring forward: CDT
    (date(2026, 3, 2), _utc(2026, 3, 2, 15), _utc(2026, 3, 2, 18)),     # the Monday before: CST
    (date(2026, 11, 2), _utc(2026, 11, 2, 15), _utc(2026, 11, 2, 18)),  # the Monday after fall back: CST
    (date(2026, 10, 26), _utc(2026, 10, 26, 14), _utc(2026, 10, 26, 17)),
])
def test_a_nine_to_noon_schedule_follows_the_wall_clock_across_dst(day, start, end):
    [window] = working_windows(CLINIC, THERAPIST["schedules"]["jonesboro"], day, day)
    assert (window.start, window.end) == (start, end)


def test_schedules_must_sit_inside_the_location_hours():
    errors = schedule_outside_hours({"mon": [{"open": "07:00", "close": "09:00"}], "sat": [{"open": "09:00", "close": "10:00"}],
                                     "tue": [{"open": "09:00", "close": "17:00"}]}, CLINIC["hours"])
    assert set(errors) == {"mon", "sat"}


SATURDAY = date(2026, 12, 12)
SATURDAY_CLINIC = {"from": SATURDAY, "to": SATURDAY, "reason": "saturday clinic", "created_at": _utc(2026, 1, 1),
                   "intervals": [{"open": "09:00", "close": "13:00"}], "provider_ids": ["t1"]}


@pytest.mark.parametrize("provider_id, expected", [
    ("t1", [(_utc(2026, 12, 12, 15), _utc(2026, 12, 12, 19))]),   # named: works the special hours in full
    ("t2", []),                                                      # not named: a Saturday outside the schedule
    (None, []),
])
def test_special_hours_that_name_providers_are_theirs_to_work(provider_id, expected):
    location = {**CLINIC, "closures": [SATURDAY_CLINIC]}
    windows = working_windows(location, THERAPIST["schedules"]["jonesboro"], SATURDAY, SATURDAY, provider_id)
    assert [(w.start, w.end) for w in windows] == expected


def test_named_providers_on_a_short_weekday_work_its_special_hours_not_their_clipped_schedule():
    short_monday = {**SATURDAY_CLINIC, "from": date(2026, 12, 7), "to": date(2026, 12, 7),
                    "intervals": [{"open": "13:00", "close": "15:00"}]}
    location = {**CLINIC, "closures": [short_monday]}
    named = working_windows(location, THERAPIST["schedules"]["jonesboro"], date(2026, 12, 7), date(2026, 12, 7), "t1")
    other = working_windows(location, THERAPIST["schedules"]["jonesboro"], date(2026, 12, 7), date(2026, 12, 7), "t2")
    assert [(w.start.hour, w.end.hour) for w in named] == [(19, 21)]
    assert other == []  # their 09:00-12:00 schedule does not meet 13:00-15:00
