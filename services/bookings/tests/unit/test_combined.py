"""Which two visits make one trip (domain/combined.py): pairing free slots, and checking a requested pair,
in America/Chicago and America/New_York, on ordinary days and across both DST changes."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bookings.domain.availability import FreeSlot, free_slots
from bookings.domain.combined import Part, combination_refusal, pair_slots
from bookings.domain.schedule import Location, Provider, Schedule, VisitType
from bookings.domain.slots import Policy, Span

CHICAGO, NEW_YORK = ZoneInfo("America/Chicago"), ZoneInfo("America/New_York")
GAP = timedelta(minutes=30)


def slot(start: str, minutes: int, provider: str, zone=CHICAGO) -> FreeSlot:
    begins = datetime.fromisoformat(start).replace(tzinfo=zone)
    ends = begins + timedelta(minutes=minutes)
    return FreeSlot(begins.isoformat(), ends.astimezone(zone).isoformat(), provider, "clinic", "in_person")


def pairs(a, b, gap=GAP, limit=200):
    options, truncated = pair_slots(a, b, gap, limit)
    return [(o.parts[0].start[11:16], o.parts[0].provider_id, o.parts[1].start[11:16], o.parts[1].provider_id)
            for o in options], truncated


def test_either_order_different_providers_within_the_gap_earliest_first():
    therapy = [slot("2026-12-07T09:00", 50, "hannah"), slot("2026-12-07T13:00", 50, "hannah")]
    meds = [slot(f"2026-12-07T{hm}", 30, "grace") for hm in ("08:00", "08:30", "10:00", "10:30", "12:30", "14:00")]
    meds.append(slot("2026-12-07T10:00", 30, "hannah"))  # the same person: never their own pair
    found, truncated = pairs(therapy, meds)
    assert found == [("08:00", "grace", "09:00", "hannah"),   # meds 08:00-08:30, therapy 30 minutes later
                     ("08:30", "grace", "09:00", "hannah"),   # meds right before: gap 0
                     ("09:00", "hannah", "10:00", "grace"),   # therapy ends 09:50, meds at 10:00
                     ("12:30", "grace", "13:00", "hannah"),
                     ("13:00", "hannah", "14:00", "grace")]
    assert not truncated


@pytest.mark.parametrize("second, paired", [
    ("2026-12-07T09:50", True),    # gap 0
    ("2026-12-07T10:20", True),    # gap exactly 30
    ("2026-12-07T10:21", False),   # one minute too late
    ("2026-12-07T09:40", False),   # overlaps the first
    ("2026-12-08T09:50", False),   # another day
])
def test_the_gap_is_from_the_first_end_to_the_second_start(second, paired):
    found, _ = pairs([slot("2026-12-07T09:00", 50, "hannah")], [slot(second, 30, "grace")])
    assert bool(found) == paired


def test_the_same_provider_never_pairs_with_themselves():
    assert pairs([slot("2026-12-07T09:00", 50, "pat")], [slot("2026-12-07T10:00", 30, "pat")])[0] == []


def test_the_day_is_the_clinic_s_day_not_utc_s():
    """22:00 and 23:30 Chicago on the 7th are on the 8th in UTC: still one day at the clinic."""
    late = [slot("2026-12-07T22:00", 50, "a")]
    assert pairs(late, [slot("2026-12-07T23:00", 30, "b")])[0] == [("22:00", "a", "23:00", "b")]
    assert pairs([slot("2026-12-07T23:00", 50, "a")], [slot("2026-12-08T00:00", 30, "b")])[0] == []


@pytest.mark.parametrize("zone", [CHICAGO, NEW_YORK])
def test_spring_forward_the_gap_is_real_time(zone):
    """8 March 2026: 01:50 is followed ten real minutes later by 03:00 (02:00 never happens)."""
    first = [slot("2026-03-08T01:00", 50, "a", zone)]
    found, _ = pairs(first, [slot("2026-03-08T03:00", 30, "b", zone), slot("2026-03-08T03:30", 30, "b", zone)],
                     gap=timedelta(minutes=10))
    assert found == [("01:00", "a", "03:00", "b")]


@pytest.mark.parametrize("zone", [CHICAGO, NEW_YORK])
def test_fall_back_the_gap_is_real_time(zone):
    """1 November 2026: 01:00-01:50 CDT, then the clock shows 01:00 again (CST) an hour later."""
    first_start = datetime(2026, 11, 1, 1, 0, tzinfo=zone)  # the first 01:00
    second_start = first_start.astimezone(timezone.utc) + timedelta(hours=1)  # the second 01:00, 10 min after 01:50
    first = [FreeSlot(first_start.isoformat(), (first_start + timedelta(minutes=50)).isoformat(), "a", "c", "x")]
    second = [FreeSlot(second_start.astimezone(zone).isoformat(),
                       (second_start + timedelta(minutes=30)).astimezone(zone).isoformat(), "b", "c", "x")]
    assert pair_slots(first, second, timedelta(minutes=10))[0]
    assert not pair_slots(first, second, timedelta(minutes=9))[0]


def test_on_a_dst_day_free_slots_pair_as_the_clinic_sees_them():
    """The whole path from windows on the spring-forward Sunday: times shown in CDT, paired on that day."""
    window = Span(datetime(2026, 3, 8, 14, tzinfo=timezone.utc), datetime(2026, 3, 8, 18, tzinfo=timezone.utc))  # 09:00-13:00 CDT
    location = Location("tele", "Telehealth", "America/Chicago")
    therapy = Schedule(location, VisitType("cbt", "CBT", 50, 10, False), "telehealth", (Provider("a", "A", "LPC", (window,)),))
    meds = Schedule(location, VisitType("med", "Meds", 30, 0, False), "telehealth", (Provider("b", "B", "MD", (window,)),))
    now = datetime(2026, 3, 1, tzinfo=timezone.utc)
    options, _ = pair_slots(free_slots(therapy, {}, now, Policy()), free_slots(meds, {}, now, Policy()), GAP)
    assert (options[0].parts[0].start, options[0].parts[1].start) == ("2026-03-08T09:00:00-05:00",
                                                                      "2026-03-08T10:00:00-05:00")
    assert all(o.parts[0].start[:10] == o.parts[1].start[:10] == "2026-03-08" for o in options)


def test_options_are_capped_and_say_so():
    therapy = [slot(f"2026-12-{d:02d}T09:00", 50, "a") for d in range(1, 29)]
    meds = [slot(f"2026-12-{d:02d}T10:00", 30, "b") for d in range(1, 29)]
    found, truncated = pair_slots(therapy, meds, GAP, limit=10)
    assert len(found) == 10 and truncated and found[0].parts[0].start.startswith("2026-12-01")


def at(hour: int, minute: int = 0, day: int = 7, zone=CHICAGO) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=zone)


def part(service, provider, start, minutes):
    return Part(service, provider, start, start + timedelta(minutes=minutes))


@pytest.mark.parametrize("parts, reason", [
    ([part("cbt", "a", at(9), 50), part("med", "b", at(10), 30)], None),
    ([part("med", "b", at(10), 30), part("cbt", "a", at(9), 50)], None),           # given in either order
    ([part("med", "b", at(8, 30), 30), part("cbt", "a", at(9), 50)], None),        # meds first, gap 0
    ([part("cbt", "a", at(9), 50), part("cbt", "b", at(10), 50)], "two different services"),
    ([part("cbt", "a", at(9), 50), part("med", "a", at(10), 30)], "two different providers"),
    ([part("cbt", "a", at(9), 50), part("med", "b", at(10, day=8), 30)], "same day"),
    ([part("cbt", "a", at(9), 50), part("med", "b", at(11), 30)], "within 30 minutes"),
    ([part("cbt", "a", at(9), 50), part("med", "b", at(9, 30), 30)], "overlap"),
])
def test_a_requested_pair_is_checked_by_the_same_rules(parts, reason):
    refusal = combination_refusal(parts, CHICAGO, GAP)
    assert (refusal is None) if reason is None else (reason in refusal)


def test_a_requested_pair_across_spring_forward_counts_real_minutes():
    first = part("cbt", "a", datetime(2026, 3, 8, 1, 0, tzinfo=NEW_YORK), 50)       # ends 01:50 EST
    second = part("med", "b", datetime(2026, 3, 8, 3, 0, tzinfo=NEW_YORK), 30)      # 03:00 EDT: 10 minutes later
    assert combination_refusal([first, second], NEW_YORK, timedelta(minutes=10)) is None
    assert "within 9 minutes" in combination_refusal([first, second], NEW_YORK, timedelta(minutes=9))


@pytest.mark.parametrize("roles, refused", [(["therapist", "prescriber"], False), (["prescriber", "therapist"], False),
                                            (["therapist", "therapist"], True), (["prescriber", "prescriber"], True), (["", "therapist"], False)])
def test_a_combined_visit_pairs_therapy_with_medication_management(roles, refused):
    from bookings.domain.combined import care_refusal

    assert (care_refusal(roles) is not None) == refused
