"""Dates, times and phone numbers as patients read them (Babel and phonenumbers, pinned to the house wording)."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from notifications.domain.wording import format_phone, local_when

CHICAGO, NEW_YORK = ZoneInfo("America/Chicago"), ZoneInfo("America/New_York")


@pytest.mark.parametrize("moment, language, full", [
    # Chicago, the Sundays the clocks change: the abbreviation follows the offset in force.
    (datetime(2026, 3, 8, 1, 30, tzinfo=CHICAGO), "en", "Sunday, March 8, 2026, 1:30 AM CST"),
    (datetime(2026, 3, 8, 3, 30, tzinfo=CHICAGO), "en", "Sunday, March 8, 2026, 3:30 AM CDT"),
    (datetime(2026, 11, 1, 1, 30, tzinfo=CHICAGO), "es", "domingo, 1 de noviembre de 2026, 1:30 a. m. CDT"),
    (datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=CHICAGO), "es", "domingo, 1 de noviembre de 2026, 1:30 a. m. CST"),
    # New York, both directions.
    (datetime(2026, 3, 8, 3, 0, tzinfo=NEW_YORK), "en", "Sunday, March 8, 2026, 3:00 AM EDT"),
    (datetime(2026, 11, 1, 1, 0, fold=1, tzinfo=NEW_YORK), "en", "Sunday, November 1, 2026, 1:00 AM EST"),
    # Midnight and noon on the 12-hour clock.
    (datetime(2026, 12, 7, 0, 5, tzinfo=CHICAGO), "en", "Monday, December 7, 2026, 12:05 AM CST"),
    (datetime(2026, 12, 7, 12, 0, tzinfo=CHICAGO), "es", "lunes, 7 de diciembre de 2026, 12:00 p. m. CST"),
    (datetime(2026, 9, 16, 17, 45, tzinfo=NEW_YORK), "es", "miércoles, 16 de septiembre de 2026, 5:45 p. m. EDT"),
])
def test_dates_read_in_the_patients_language_with_the_zones_abbreviation(moment, language, full):
    assert local_when(moment, language)["full"] == full


@pytest.mark.parametrize("language", ["en", "es"])
def test_messages_use_plain_spaces_so_an_sms_stays_in_the_gsm_alphabet(language):
    when = local_when(datetime(2026, 12, 7, 9, 0, tzinfo=CHICAGO), language)
    assert all(ch not in when["full"] for ch in "\u202f\u00a0")
    assert (when["time"], when["zone"]) == (("9:00 AM" if language == "en" else "9:00 a. m."), "CST")


@pytest.mark.parametrize("raw, shown", [
    ("+18705550100", "(870) 555-0100"),
    ("+16135550100", "(613) 555-0100"),  # Canada: the same national format
    ("+15555550123", "(555) 555-0123"),
    ("+442079460000", "+442079460000"),
    ("+34912345678", "+34912345678"),
    ("+1870555010", "+1870555010"),  # too short to be a North American number
    ("+10005550100", "+10005550100"),  # no area code starts with 0
    ("not a number", "not a number"),
    ("", ""),
    (None, ""),
])
def test_phone_numbers_read_locally_in_north_america_and_as_given_elsewhere(raw, shown):
    assert format_phone(raw) == shown
