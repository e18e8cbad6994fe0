"""Patient phone numbers: whatever libphonenumber judges possible, stored in E.164.

The number must be written in international form (a leading +): the API serves patients from
anywhere and has no region to assume. Possible, not valid: a number allocated only recently, or a
test number such as +15555550123, must not be refused by a library whose metadata lags.
"""
from __future__ import annotations

import re

import phonenumbers
from marshmallow import ValidationError, fields

REFUSAL = "Use international format, e.g. +15555550123."
# What the API has always documented and stored: E.164 with 8 to 15 digits.
E164 = re.compile(r"^\+[1-9]\d{7,14}$")


def e164(text: str) -> str:
    """The number in E.164; ValidationError for text that cannot be a phone number."""
    if not text.lstrip().startswith("+"):
        raise ValidationError(REFUSAL)
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        raise ValidationError(REFUSAL) from None
    normalised = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if not phonenumbers.is_possible_number(number) or not E164.match(normalised):
        raise ValidationError(REFUSAL)
    return normalised


class PhoneNumber(fields.String):
    """A phone number in, E.164 out (documented as a string with that pattern)."""

    def __init__(self, **kwargs):
        metadata = {"pattern": E164.pattern, "example": "+15555550123", **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return e164(super()._deserialize(value, attr, data, **kwargs))
