"""How times, places and phone numbers read in each language. Pure: the templates only print these.

Dates, times and phone numbers come from Babel (CLDR) and phonenumbers rather than our own
tables: month and day names, the 12-hour clock and national phone formats are theirs to get right.
"""
from __future__ import annotations

from datetime import datetime

import phonenumbers
from babel.dates import format_date, format_time

# The clock with its day period (9:00 AM / 9:00 a. m.): CLDR's "short" time drops it in Spanish.
TIME_PATTERN = "h:mm a"
# CLDR separates "AM" and "a. m." with narrow no-break spaces. An SMS with any character outside the
# GSM alphabet goes as UCS-2 at 70 characters a part instead of 160, so messages use plain spaces.
PLAIN_SPACES = str.maketrans({"\u202f": " ", "\u00a0": " "})
NANP = 1  # the United States, Canada and the Caribbean share +1 and one national format
WHOLE_NUMBER = phonenumbers.ValidationResult.IS_POSSIBLE  # not a local-only 7-digit number


def local_when(moment: datetime, language: str) -> dict:
    """`moment` is aware in the location's zone: its date and time as a patient there reads them.

    The zone's abbreviation (CST / CDT) is always printed: it is what tells a patient in
    another zone, or a mail client that shows its own time, which clock is meant. It comes from
    the zone database, not CLDR, which has no short Spanish name for it ("-0600", "hora estándar central").
    """
    date = format_date(moment.date(), "full", locale=language).translate(PLAIN_SPACES)
    time = format_time(moment.time(), TIME_PATTERN, locale=language).translate(PLAIN_SPACES)
    zone = moment.tzname() or ""
    return {"date": date, "time": time, "zone": zone, "full": f"{date}, {time} {zone}".strip()}


def format_phone(phone: str | None) -> str:
    """North American numbers, as locations keeps them (+18705550100), read (870) 555-0100; anything else as given."""
    if not phone:
        return ""
    try:
        number = phonenumbers.parse(phone)
    except phonenumbers.NumberParseException:
        return phone
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    readable = (number.country_code == NANP
                and phonenumbers.is_possible_number_with_reason(number) == WHOLE_NUMBER
                and phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == phone
                and national != phonenumbers.national_significant_number(number))  # bare digits: no pattern fits
    return national if readable else phone


def format_address(address: dict | None) -> str:
    if not isinstance(address, dict):
        return ""
    city_line = " ".join(p for p in (f"{address.get('city', '')},", address.get("state", ""),
                                     address.get("postal_code", "")) if p and p != ",")
    return "\n".join(p for p in (address.get("line1", ""), city_line) if p)


def join_url(base_url: str, booking_id: str) -> str:
    return f"{base_url.rstrip('/')}/{booking_id}"
