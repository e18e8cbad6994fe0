"""How times, places and phone numbers read in each language. Pure: the templates only print these.

Dates, times and phone numbers come from Babel (CLDR) and phonenumbers rather than our own
tables: month and day names, the 12-hour clock and national phone formats are theirs to get right.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import phonenumbers
from babel.dates import format_date, format_time

# The clock with its day period (9:00 AM / 9:00 a. m.): CLDR's "short" time drops it in Spanish.
TIME_PATTERN = "h:mm a"
# CLDR separates "AM" and "a. m." with narrow no-break spaces. An SMS with any character outside the
# GSM alphabet goes as UCS-2 at 70 characters a part instead of 160, so messages use plain spaces.
PLAIN_SPACES = str.maketrans({"\u202f": " ", "\u00a0": " "})
NANP = 1  # the United States, Canada and the Caribbean share +1 and one national format
WHOLE_NUMBER = phonenumbers.ValidationResult.IS_POSSIBLE  # not a local-only 7-digit number


# The clinic's clock beside the patient's, when they differ (shared decision 2).
AT_CLINIC = {"en": "{time} {zone} at the clinic", "es": "{time} {zone} en la clínica"}
AT_CLINIC_OTHER_DAY = {"en": "{time} {zone} on {day} at the clinic", "es": "{time} {zone} el {day} en la clínica"}
SHORT_DAY = {"en": "EEE, MMM d", "es": "EEE d MMM"}  # Tue, Dec 1 / mar 1 dic: for SMS


def local_when(moment: datetime, language: str, patient_zone: str | None = None) -> dict:
    """`moment` is aware in the location's zone: its date and time as the patient reads them.

    With `patient_zone` (the patient's IANA zone, when known) and a clock there that differs from the
    clinic's, `date`, `time`, `zone` and `day` are the patient's and `clinic` adds the clinic's:
    "Tuesday, December 1, 2026, 9:00 AM EST (8:00 AM CST at the clinic)". Without it (a local patient, a
    state with several zones and no choice) only the clinic's clock is shown, never a guess.

    The zone's abbreviation (CST / CDT) is always printed: it is what tells a patient in
    another zone, or a mail client that shows its own time, which clock is meant. It comes from
    the zone database, not CLDR, which has no short Spanish name for it ("-0600", "hora estándar central").
    """
    clinic = _clock(moment, language)
    own = moment.astimezone(ZoneInfo(patient_zone)) if patient_zone else moment
    if (own.utcoffset(), own.tzname()) == (moment.utcoffset(), moment.tzname()):
        own_clock, note = clinic, ""
    else:
        own_clock = _clock(own, language)
        template = AT_CLINIC if own.date() == moment.date() else AT_CLINIC_OTHER_DAY
        note = template[_lang(language)].format(time=clinic["time"], zone=clinic["zone"], day=clinic["day"])
    at = f"{own_clock['time']} {own_clock['zone']}".strip() + (f" ({note})" if note else "")
    return {**own_clock, "clinic_note": note, "clinic": f" ({note})" if note else "", "at": at,
            "full": f"{own_clock['date']}, {at}"}


def when_span(when: dict, ends: str, language: str) -> str:
    """A visit's day and hours in one line: "Monday, December 7, 2026, 9:00 AM CST (until 9:50 AM)", with
    the clinic's clock inside the brackets when the patient's differs ("(until 9:50 AM; 8:00 AM CST at the
    clinic)")."""
    until = ("hasta las " if _lang(language) == "es" else "until ") + ends
    note = f"; {when['clinic_note']}" if when["clinic_note"] else ""
    return f"{when['date']}, {when['time']} {when['zone']} ({until}{note})"


def _clock(moment: datetime, language: str) -> dict:
    date = format_date(moment.date(), "full", locale=language).translate(PLAIN_SPACES)
    day = format_date(moment.date(), SHORT_DAY[_lang(language)], locale=language).translate(PLAIN_SPACES)
    time = format_time(moment.time(), TIME_PATTERN, locale=language).translate(PLAIN_SPACES)
    return {"date": date, "day": day.replace(".", ""), "time": time, "zone": moment.tzname() or ""}


def _lang(language: str) -> str:
    return language if language in AT_CLINIC else "en"


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
