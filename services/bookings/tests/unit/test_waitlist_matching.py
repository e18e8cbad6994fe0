"""The waitlist's matching rules (domain/waitlist.py), table-driven, with windows across both DST changes
(America/Chicago and America/New_York) and the accept link's credential."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone

import pytest

from bookings.domain.waitlist import (Entry, FreedSlot, ProviderTraits, WaitlistInvalid, assign, check_until,
                                      credential_matches, in_windows, link_credential, link_key, longest_waiting,
                                      matches, parse_windows, slot_key)

UTC = timezone.utc
CHICAGO, NEW_YORK = "America/Chicago", "America/New_York"
TODAY = date(2026, 12, 1)


def slot(start=datetime(2026, 12, 7, 15, 0, tzinfo=UTC), minutes=50, provider="miguel", location="jonesboro",
         service="therapy-cbt", modality="in_person", zone=CHICAGO) -> FreedSlot:
    return FreedSlot(provider, location, service, modality, start, start + timedelta(minutes=minutes),
                     start + timedelta(minutes=minutes + 10), zone)


def entry(id="a", joined=datetime(2026, 11, 1, tzinfo=UTC), **fields) -> Entry:
    base = dict(id=id, service_id="therapy-cbt", modality="in_person", location_ids=("jonesboro", "paragould"),
                joined_at=joined, until=date(2027, 1, 31))
    return Entry(**{**base, **fields})


MIGUEL = ProviderTraits("miguel", frozenset({"en", "es"}), frozenset({"AR"}))
HANNAH = ProviderTraits("hannah", frozenset({"en"}), frozenset({"AR"}))
RACHEL = ProviderTraits("rachel", frozenset({"en"}), frozenset({"DE", "MD"}))
MORNINGS = parse_windows([{"days": ["mon"], "from": "08:00", "to": "12:00"}])  # slot: Mon 09:00 CST


@pytest.mark.parametrize("changed, provider, expected", [
    ({}, MIGUEL, True),
    ({"service_id": "therapy-dbt"}, MIGUEL, False),
    ({"modality": "telehealth"}, MIGUEL, False),
    ({"location_ids": ("ash-flat",)}, MIGUEL, False),
    ({"provider_id": "miguel"}, MIGUEL, True),
    ({"provider_id": "hannah"}, MIGUEL, False),
    ({"language": "es"}, MIGUEL, True),
    ({"language": "es"}, HANNAH, False),
    ({"language": "es"}, None, False),
    ({"windows": MORNINGS}, MIGUEL, True),
    ({"windows": parse_windows([{"days": ["tue"], "from": "08:00", "to": "12:00"}])}, MIGUEL, False),
    ({"windows": parse_windows([{"days": ["mon"], "from": "09:30", "to": "12:00"}])}, MIGUEL, False),
    ({"windows": parse_windows([{"days": ["mon"], "from": "08:00", "to": "09:45"}])}, MIGUEL, False),  # ends 09:50
    ({"windows": parse_windows([{"days": ["mon"], "from": "09:00", "to": "09:50"}])}, MIGUEL, True),   # exactly
    ({"until": date(2026, 12, 6)}, MIGUEL, False),
    ({"until": date(2026, 12, 7)}, MIGUEL, True),
    ({"offered_keys": frozenset({"miguel@2026-12-07T15:00:00+00:00"})}, MIGUEL, False),
])
def test_a_freed_slot_matches_an_entry_only_when_every_rule_agrees(changed, provider, expected):
    assert matches(entry(**changed), slot(), provider, TODAY) is expected


@pytest.mark.parametrize("state, provider, expected", [
    ("AR", MIGUEL, True), ("TX", MIGUEL, False), (None, MIGUEL, False), ("DE", RACHEL, True), ("AR", RACHEL, False),
    ("AR", None, False)])
def test_telehealth_needs_a_provider_licensed_where_the_patient_will_be(state, provider, expected):
    tele = slot(location="telehealth", modality="telehealth", provider=provider.id if provider else "x")
    wanted = entry(modality="telehealth", location_ids=("telehealth",), patient_state=state)
    assert matches(wanted, tele, provider, TODAY) is expected


# Tuesdays 17:00-19:00 wall clock. Chicago: CDT (UTC-5) until 1 Nov 2026, CST (UTC-6) after; 14 Mar 2027 back to CDT.
EVENINGS = parse_windows([{"days": ["tue"], "from": "17:00", "to": "19:00"}])


@pytest.mark.parametrize("zone, start_utc, inside", [
    (CHICAGO, datetime(2026, 10, 27, 22, 0, tzinfo=UTC), True),   # Tue 17:00 CDT, before fall back
    (CHICAGO, datetime(2026, 11, 3, 23, 0, tzinfo=UTC), True),    # Tue 17:00 CST, after fall back
    (CHICAGO, datetime(2026, 11, 3, 22, 0, tzinfo=UTC), False),   # Tue 16:00 CST: the summer instant is outside
    (CHICAGO, datetime(2027, 3, 9, 23, 0, tzinfo=UTC), True),     # Tue 17:00 CST, the week before spring forward
    (CHICAGO, datetime(2027, 3, 16, 22, 0, tzinfo=UTC), True),    # Tue 17:00 CDT, after spring forward (14 Mar)
    (CHICAGO, datetime(2027, 3, 16, 23, 0, tzinfo=UTC), True),    # Tue 18:00 CDT
    (CHICAGO, datetime(2027, 3, 17, 0, 30, tzinfo=UTC), False),   # Tue 19:30 CDT: ends past the window
    (NEW_YORK, datetime(2026, 11, 3, 22, 0, tzinfo=UTC), True),   # Tue 17:00 EST
    (NEW_YORK, datetime(2027, 3, 16, 21, 0, tzinfo=UTC), True),   # Tue 17:00 EDT
    (NEW_YORK, datetime(2027, 3, 16, 20, 0, tzinfo=UTC), False),  # Tue 16:00 EDT
])
def test_windows_are_the_clinics_wall_clock_on_both_sides_of_dst(zone, start_utc, inside):
    assert in_windows(EVENINGS, start_utc, start_utc + timedelta(minutes=50), zone) is inside


def test_no_windows_means_any_time():
    assert in_windows((), datetime(2026, 12, 7, 3, 0, tzinfo=UTC), datetime(2026, 12, 7, 4, 0, tzinfo=UTC), CHICAGO)


def test_the_longest_waiting_match_wins_and_the_rest_follow_in_order():
    first, second, late = (entry("b", datetime(2026, 11, 2, tzinfo=UTC)), entry("a", datetime(2026, 11, 3, tzinfo=UTC)),
                           entry("c", datetime(2026, 11, 1, tzinfo=UTC), language="es"))
    ranked = longest_waiting([second, late, first], slot(), HANNAH, TODAY)
    assert [e.id for e in ranked] == ["b", "a"]  # c waited longest but needs Spanish


def test_two_slots_go_to_two_people_and_nobody_gets_two():
    early, later = slot(), slot(start=datetime(2026, 12, 7, 16, 0, tzinfo=UTC))
    a, b, c = (entry("a", datetime(2026, 11, 1, tzinfo=UTC)), entry("b", datetime(2026, 11, 2, tzinfo=UTC)),
               entry("c", datetime(2026, 11, 3, tzinfo=UTC)))
    pairs = assign([c, b, a], [later, early], {"miguel": MIGUEL}, TODAY)
    assert [(e.id, s.start.hour) for e, s in pairs] == [("a", 15), ("b", 16)]


def test_an_entry_waiting_for_mornings_leaves_an_afternoon_slot_to_the_next():
    mornings = entry("a", datetime(2026, 11, 1, tzinfo=UTC), windows=MORNINGS)
    anytime = entry("b", datetime(2026, 11, 2, tzinfo=UTC))
    afternoon = slot(start=datetime(2026, 12, 7, 20, 0, tzinfo=UTC))  # 14:00 CST
    assert [(e.id, s.start.hour) for e, s in assign([mornings, anytime], [afternoon], {"miguel": MIGUEL}, TODAY)] == [
        ("b", 20)]


@pytest.mark.parametrize("raw, field_error", [
    ([{"days": ["mon"], "from": "12:00", "to": "12:00"}], "from must be before to"),
    ([{"days": ["mon"], "from": "13:00", "to": "12:00"}], "from must be before to"),
    ([{"days": ["funday"], "from": "09:00", "to": "12:00"}], "days must be"),
    ([{"days": [], "from": "09:00", "to": "12:00"}], "days must be"),
    ([{"days": ["mon"], "from": "9", "to": "12:00"}], "HH:MM"),
])
def test_bad_windows_are_refused_with_the_reason(raw, field_error):
    with pytest.raises(WaitlistInvalid) as refused:
        parse_windows(raw)
    assert field_error in refused.value.errors["windows"][0]


def test_parsed_windows_are_weekdays_and_clock_times():
    (window,) = parse_windows([{"days": ["mon", "sun"], "from": "08:30", "to": "12:00"}])
    assert window.days == frozenset({0, 6}) and (window.start, window.end) == (time(8, 30), time(12))


def test_until_in_the_past_is_refused():
    check_until(TODAY, TODAY)
    with pytest.raises(WaitlistInvalid):
        check_until(TODAY - timedelta(days=1), TODAY)


def test_the_slot_key_names_provider_and_instant():
    assert slot_key(slot()) == "miguel@2026-12-07T15:00:00+00:00"
    assert slot_key(replace(slot(), provider_id="hannah")) != slot_key(slot())


def test_the_link_credential_is_an_hmac_of_entry_and_offer_under_the_shared_key():
    key = link_key("", "jwt-secret-for-tests-at-least-32-bytes")
    assert key == link_key("jwt-secret-for-tests-at-least-32-bytes", "ignored")  # OFFER_LINK_SECRET wins when set
    credential = link_credential(key, "e" * 32, "o" * 32)
    # The same vector is asserted by notifications' unit test (it mints the link).
    assert credential == "e" * 32 + "." + "o" * 32 + ".TQKFmJfiKA_ahB6-9CyPSyP0fwxx1bjs"
    assert credential_matches(key, credential, "e" * 32, "o" * 32)
    assert not credential_matches(key, credential, "e" * 32, "p" * 32)
    assert not credential_matches(link_key("another", ""), credential, "e" * 32, "o" * 32)
    assert not credential_matches(key, None, "e" * 32, "o" * 32)
