"""The 50 US states and DC: two-letter codes (licensure, where a patient is), their names in English
and Spanish, and the IANA zones a patient there may live in.

A state with one zone answers the patient's clock by itself; a state with several (Texas, Tennessee,
Florida, ...) must ask the patient which one. Zones are the ones that hold most of each part of the
state: a patient in a county that keeps another zone picks it. Arizona (no DST) and Hawaii have their
own zones, which is the point of naming zones instead of offsets.
"""
from __future__ import annotations

US_STATES = frozenset("""
AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY
NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY
""".split())

EASTERN, CENTRAL, MOUNTAIN, ARIZONA, PACIFIC = ("America/New_York", "America/Chicago", "America/Denver",
                                                "America/Phoenix", "America/Los_Angeles")
ALASKA, ALEUTIAN, HAWAII = "America/Anchorage", "America/Adak", "Pacific/Honolulu"
DETROIT, INDIANA, KENTUCKY, BOISE = ("America/Detroit", "America/Indiana/Indianapolis",
                                     "America/Kentucky/Louisville", "America/Boise")

# The first zone is the one most of the state keeps; the order is what a page offers.
STATE_ZONES: dict[str, tuple[str, ...]] = {
    "AL": (CENTRAL,), "AK": (ALASKA, ALEUTIAN), "AZ": (ARIZONA,), "AR": (CENTRAL,), "CA": (PACIFIC,),
    "CO": (MOUNTAIN,), "CT": (EASTERN,), "DE": (EASTERN,), "DC": (EASTERN,), "FL": (EASTERN, CENTRAL),
    "GA": (EASTERN,), "HI": (HAWAII,), "ID": (BOISE, PACIFIC), "IL": (CENTRAL,), "IN": (INDIANA, CENTRAL),
    "IA": (CENTRAL,), "KS": (CENTRAL, MOUNTAIN), "KY": (KENTUCKY, CENTRAL), "LA": (CENTRAL,),
    "ME": (EASTERN,), "MD": (EASTERN,), "MA": (EASTERN,), "MI": (DETROIT, CENTRAL), "MN": (CENTRAL,),
    "MS": (CENTRAL,), "MO": (CENTRAL,), "MT": (MOUNTAIN,), "NE": (CENTRAL, MOUNTAIN), "NV": (PACIFIC,),
    "NH": (EASTERN,), "NJ": (EASTERN,), "NM": (MOUNTAIN,), "NY": (EASTERN,), "NC": (EASTERN,),
    "ND": (CENTRAL, MOUNTAIN), "OH": (EASTERN,), "OK": (CENTRAL,), "OR": (PACIFIC, BOISE), "PA": (EASTERN,),
    "RI": (EASTERN,), "SC": (EASTERN,), "SD": (CENTRAL, MOUNTAIN), "TN": (CENTRAL, EASTERN),
    "TX": (CENTRAL, MOUNTAIN), "UT": (MOUNTAIN,), "VT": (EASTERN,), "VA": (EASTERN,), "WA": (PACIFIC,),
    "WV": (EASTERN,), "WI": (CENTRAL,), "WY": (MOUNTAIN,),
}

STATE_NAMES: dict[str, dict[str, str]] = {
    code: {"en": en, "es": es} for code, en, es in (
        ("AL", "Alabama", "Alabama"), ("AK", "Alaska", "Alaska"), ("AZ", "Arizona", "Arizona"),
        ("AR", "Arkansas", "Arkansas"), ("CA", "California", "California"), ("CO", "Colorado", "Colorado"),
        ("CT", "Connecticut", "Connecticut"), ("DE", "Delaware", "Delaware"),
        ("DC", "District of Columbia", "Distrito de Columbia"), ("FL", "Florida", "Florida"),
        ("GA", "Georgia", "Georgia"), ("HI", "Hawaii", "Hawái"), ("ID", "Idaho", "Idaho"),
        ("IL", "Illinois", "Illinois"), ("IN", "Indiana", "Indiana"), ("IA", "Iowa", "Iowa"),
        ("KS", "Kansas", "Kansas"), ("KY", "Kentucky", "Kentucky"), ("LA", "Louisiana", "Luisiana"),
        ("ME", "Maine", "Maine"), ("MD", "Maryland", "Maryland"), ("MA", "Massachusetts", "Massachusetts"),
        ("MI", "Michigan", "Míchigan"), ("MN", "Minnesota", "Minnesota"), ("MS", "Mississippi", "Misisipi"),
        ("MO", "Missouri", "Misuri"), ("MT", "Montana", "Montana"), ("NE", "Nebraska", "Nebraska"),
        ("NV", "Nevada", "Nevada"), ("NH", "New Hampshire", "Nuevo Hampshire"),
        ("NJ", "New Jersey", "Nueva Jersey"), ("NM", "New Mexico", "Nuevo México"),
        ("NY", "New York", "Nueva York"), ("NC", "North Carolina", "Carolina del Norte"),
        ("ND", "North Dakota", "Dakota del Norte"), ("OH", "Ohio", "Ohio"), ("OK", "Oklahoma", "Oklahoma"),
        ("OR", "Oregon", "Oregón"), ("PA", "Pennsylvania", "Pensilvania"), ("RI", "Rhode Island", "Rhode Island"),
        ("SC", "South Carolina", "Carolina del Sur"), ("SD", "South Dakota", "Dakota del Sur"),
        ("TN", "Tennessee", "Tennessee"), ("TX", "Texas", "Texas"), ("UT", "Utah", "Utah"),
        ("VT", "Vermont", "Vermont"), ("VA", "Virginia", "Virginia"), ("WA", "Washington", "Washington"),
        ("WV", "West Virginia", "Virginia Occidental"), ("WI", "Wisconsin", "Wisconsin"),
        ("WY", "Wyoming", "Wyoming"))
}


def state_name(code: str | None, language: str = "en") -> str:
    names = STATE_NAMES.get((code or "").upper())
    return names.get(language, names["en"]) if names else (code or "")


def zones_of(state: str | None) -> tuple[str, ...]:
    return STATE_ZONES.get((state or "").upper(), ())


def patient_zone(state: str | None, chosen: str | None = None) -> str | None:
    """The patient's IANA zone: the one they chose when it belongs to their state, else their state's only
    zone; None when the state has several and none was chosen (then only the clinic's clock is shown,
    rather than a guess that could be an hour wrong)."""
    zones = zones_of(state)
    if chosen and chosen in zones:
        return chosen
    return zones[0] if len(zones) == 1 else None
