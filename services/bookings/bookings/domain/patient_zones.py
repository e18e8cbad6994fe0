"""The time zones a patient may live in, as the booking page asks "which time zone?" for a state that
has several (clinic_common.us_states holds the states, their names and zones). Labels name the zone and
a city in it, in English and Spanish: a patient knows "Central (Chicago)" better than an IANA id."""
from __future__ import annotations

from clinic_common import us_states as us

ZONE_LABELS: dict[str, dict[str, str]] = {
    us.EASTERN: {"en": "Eastern (New York)", "es": "Este (Nueva York)"},
    us.CENTRAL: {"en": "Central (Chicago)", "es": "Centro (Chicago)"},
    us.MOUNTAIN: {"en": "Mountain (Denver)", "es": "Montaña (Denver)"},
    us.ARIZONA: {"en": "Mountain, no daylight saving (Phoenix)", "es": "Montaña, sin horario de verano (Phoenix)"},
    us.PACIFIC: {"en": "Pacific (Los Angeles)", "es": "Pacífico (Los Ángeles)"},
    us.ALASKA: {"en": "Alaska (Anchorage)", "es": "Alaska (Anchorage)"},
    us.ALEUTIAN: {"en": "Hawaii-Aleutian (Adak)", "es": "Hawái-Aleutianas (Adak)"},
    us.HAWAII: {"en": "Hawaii (Honolulu)", "es": "Hawái (Honolulu)"},
    us.DETROIT: {"en": "Eastern (Detroit)", "es": "Este (Detroit)"},
    us.INDIANA: {"en": "Eastern (Indianapolis)", "es": "Este (Indianápolis)"},
    us.KENTUCKY: {"en": "Eastern (Louisville)", "es": "Este (Louisville)"},
    us.BOISE: {"en": "Mountain (Boise)", "es": "Montaña (Boise)"},
}
ALL_ZONES = tuple(ZONE_LABELS)


def zone_refusal(timezone: str | None, state: str | None) -> str | None:
    """Why `timezone` cannot be the patient's, living in `state`; None when it can (or none was given)."""
    if not timezone:
        return None
    zones = us.zones_of(state)
    if timezone not in zones:
        return f"must be one of the zones of {us.state_name(state)}: {', '.join(zones)}"
    return None


def states_and_zones() -> list[dict]:
    """Every state with its names and zones (the first is the one most of it keeps), as the page offers them."""
    return [{"code": code, "name": dict(us.STATE_NAMES[code]),
             "zones": [{"id": zone, "label": dict(ZONE_LABELS[zone])} for zone in zones]}
            for code, zones in sorted(us.STATE_ZONES.items())]
