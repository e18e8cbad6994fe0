"""A clinic's phone as people read it. Stored and validated in E.164 (+18705550100), which is what
a dialler and an SMS gateway want; pages and messages show the national form, (870) 555-0100.
"""
from __future__ import annotations

import phonenumbers

HOME_REGION = "US"  # the practice's country: its own numbers are shown without the country code


def phone_display(e164: str | None) -> str | None:
    """The national form for a US number, the international form (+44 20 ...) for any other."""
    if not e164:
        return None
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164  # stored before validation was this strict: shown as stored rather than not at all
    national = phonenumbers.region_code_for_number(number) == HOME_REGION
    style = phonenumbers.PhoneNumberFormat.NATIONAL if national else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)
