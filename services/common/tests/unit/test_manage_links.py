"""The manage-link credential: bound to one booking, series or visit; refused when expired, cancelled or
altered. Notifications mints and bookings checks with this one module, so one vector pins both."""
from datetime import datetime, timedelta, timezone

import pytest

from clinic_common.manage_links import expiry_after, is_link_credential, link_key, link_opens, manage_url, mint

KEY = link_key("", "jwt-secret-for-tests")
NOW = datetime(2026, 12, 1, 15, 0, tzinfo=timezone.utc)
LATER = int((NOW + timedelta(days=3)).timestamp())
BOOKING = {"id": "b1", "series_id": "s1", "visit_id": None, "status": "confirmed"}


def test_a_booking_link_opens_its_booking_only():
    token = mint(KEY, "booking", "b1", LATER)
    assert is_link_credential(token)
    assert link_opens(KEY, token, BOOKING, NOW)
    assert not link_opens(KEY, token, {**BOOKING, "id": "b2"}, NOW)


def test_a_series_link_opens_each_of_its_bookings_and_no_other_series():
    token = mint(KEY, "series", "s1", LATER)
    assert link_opens(KEY, token, {**BOOKING, "id": "b9"}, NOW)
    assert not link_opens(KEY, token, {**BOOKING, "series_id": "s2"}, NOW)
    assert not link_opens(KEY, token, {**BOOKING, "series_id": None}, NOW)


def test_expired_cancelled_altered_and_foreign_key_links_are_refused():
    token = mint(KEY, "booking", "b1", LATER)
    assert not link_opens(KEY, token, BOOKING, datetime.fromtimestamp(LATER, timezone.utc))
    assert not link_opens(KEY, token, {**BOOKING, "status": "cancelled"}, NOW)
    prefix, kind, expires, mac = token.split("-", 3)
    assert not link_opens(KEY, f"{prefix}-{kind}-{int(expires) + 86400}-{mac}", BOOKING, NOW)
    assert not link_opens(link_key("other", ""), token, BOOKING, NOW)
    for junk in (None, "", "m1-", "m1-x-1-" + "A" * 43, token + "A", "not a link"):
        assert not link_opens(KEY, junk, BOOKING, NOW)
    assert not link_opens(KEY, token, None, NOW)


def test_the_vector_is_stable():
    """Both services run this module, but a stored or mailed link outlives a deploy: the format is fixed."""
    assert mint(KEY, "booking", "b1", 1_800_000_000) == mint(link_key("", "jwt-secret-for-tests"), "booking", "b1",
                                                              1_800_000_000)
    assert mint(KEY, "booking", "b1", 1_800_000_000).startswith("m1-b-1800000000-")


def test_the_url_carries_the_credential_in_the_fragment_and_expiry_follows_the_visit():
    end = datetime(2026, 12, 2, 16, 0, tzinfo=timezone.utc)
    assert expiry_after(end, 14) == int((end + timedelta(days=14)).timestamp())
    url = manage_url("https://clinic.example/book#old", KEY, "b1", "booking", "b1", LATER)
    assert url.startswith("https://clinic.example/book#manage=b1.m1-b-")


@pytest.mark.parametrize("state,chosen,zone", [("DE", None, "America/New_York"), ("TX", None, None),
                                               ("TX", "America/Denver", "America/Denver"),
                                               ("TX", "America/New_York", None), ("AR", "", "America/Chicago"),
                                               (None, None, None)])
def test_the_patients_zone_comes_from_the_state_or_their_choice(state, chosen, zone):
    from clinic_common.us_states import patient_zone
    assert patient_zone(state, chosen) == zone
