"""What input every service accepts at all: JSON bodies the datastore and the code can hold, and dates
the calendar code can compute with. Checked once at the edge, so no view meets a value that turns into
a 500 later (an int past Python's int-string limit, a RecursionError, a string that cannot be encoded,
a date whose next day does not exist)."""
from __future__ import annotations

import json
import math
import re
from datetime import date, datetime

MAX_JSON_DEPTH = 32  # our deepest document (weekly hours in a provider's schedules) is 5 levels
INT64 = 2**63  # BSON's integer range: anything wider cannot be stored
FIRST_DATE, LAST_DATE = date(1970, 1, 1), date(2199, 12, 31)  # far from datetime's edges (years 1 and 9999)
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class UnusableJson(ValueError):
    """A body that is not JSON, or JSON no service can use; the message says which rule it broke."""


def _int_within_int64(text: str) -> int:
    if len(text.lstrip("-")) > 19:  # checked before int(): 4,300+ digits is a ValueError, a million is slow
        raise UnusableJson("Integers must fit in 64 bits.")
    value = int(text)
    if not -INT64 <= value < INT64:
        raise UnusableJson("Integers must fit in 64 bits.")
    return value


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise UnusableJson("Numbers must be finite.")
    return value


def _no_constants(name: str):
    raise UnusableJson(f"{name} is not JSON.")


def load_json(text: str | bytes):
    """json.loads within the limits above, or UnusableJson saying which one was broken."""
    try:
        value = json.loads(text, parse_int=_int_within_int64, parse_float=_finite_float,
                           parse_constant=_no_constants)
    except RecursionError:
        raise UnusableJson(f"JSON may nest at most {MAX_JSON_DEPTH} levels.") from None
    except UnusableJson:
        raise
    except ValueError:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise UnusableJson("The request body is not valid JSON.") from None
    _check_depth_and_text(value)
    return value


def _check_depth_and_text(value) -> None:
    """Walk without recursion: the point is to refuse what recursion cannot survive."""
    pending = [(value, 1)]
    while pending:
        node, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            raise UnusableJson(f"JSON may nest at most {MAX_JSON_DEPTH} levels.")
        if isinstance(node, dict):
            pending.extend((key, depth) for key in node)
            pending.extend((item, depth + 1) for item in node.values())
        elif isinstance(node, list):
            pending.extend((item, depth + 1) for item in node)
        elif isinstance(node, str) and LONE_SURROGATE.search(node):
            # "\ud800" is valid JSON but not text: it cannot be encoded as UTF-8, stored or sent back.
            raise UnusableJson("Strings must be Unicode text: a lone surrogate (\\ud800-\\udfff) is not.")


def date_refusal(value: date | datetime | None) -> str | None:
    """Why a date (or an instant's date) is outside what the calendar code supports; None if it is not."""
    if value is None:
        return None
    day = value.date() if isinstance(value, datetime) else value
    if FIRST_DATE <= day <= LAST_DATE:
        return None
    return f"must be between {FIRST_DATE.isoformat()} and {LAST_DATE.isoformat()}"


def supported_date(value: date | datetime) -> bool:
    """A marshmallow validator: `fields.Date(validate=supported_date)`."""
    from marshmallow import ValidationError

    refusal = date_refusal(value)
    if refusal:
        raise ValidationError(refusal)
    return True
