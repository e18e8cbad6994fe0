"""A disrupted booking (shared decision 3): the clinic's schedule changed under it, so the patient is told
what changed and what they may do, and that nothing is cancelled until they (or staff) decide. Pure."""
from __future__ import annotations

DISRUPTED = "booking.disrupted"


def nothing_to_tell(event_type: str, data: dict) -> bool:
    """A booking.disrupted that carries no disruption (it fits again) has no news for the patient."""
    return event_type == DISRUPTED and not isinstance(data.get("disruption"), dict)
