"""A disrupted booking (shared decision 3): the clinic's schedule changed under it, so the patient is told
what changed and what they may do, and that nothing is cancelled until they (or staff) decide. Pure."""
from __future__ import annotations

DISRUPTED = "booking.disrupted"


def nothing_to_tell(event_type: str, data: dict) -> bool:
    """A booking.disrupted that carries no disruption (it fits again) has no news for the patient."""
    return event_type == DISRUPTED and not isinstance(data.get("disruption"), dict)

# What changed, worded for the patient (the event's `detail` is for staff, in English).
WHAT_CHANGED = {
    "en": {"closure": "{place} is closed that day",
           "special_hours": "{place} keeps different hours that day, and your time is outside them",
           "hours": "the opening hours of {place} have changed and no longer include your time",
           "provider_schedule": "{provider} is no longer available at that time",
           "provider_inactive": "{provider} is no longer taking appointments",
           None: "the clinic's schedule has changed and no longer fits your time"},
    "es": {"closure": "{place} no abre ese día",
           "special_hours": "{place} tiene otro horario ese día y su hora queda fuera de él",
           "hours": "el horario de {place} cambió y ya no incluye su hora",
           "provider_schedule": "{provider} ya no está disponible a esa hora",
           "provider_inactive": "{provider} ya no atiende citas",
           None: "el horario de la clínica cambió y ya no coincide con su hora"},
}
SOMEONE = {"en": ("the clinic", "your clinician"), "es": ("la clínica", "su profesional")}


def disruption_context(disruption: dict | None, language: str, place: str, provider: str) -> dict | None:
    """What a disrupted booking's message says changed, and which options the patient has (the event's
    `options`: reschedule and cancel are always offered, telehealth only when the same time is bookable so)."""
    if not isinstance(disruption, dict):
        return None
    words = WHAT_CHANGED.get(language, WHAT_CHANGED["en"])
    clinic, clinician = SOMEONE.get(language, SOMEONE["en"])
    template = words.get(disruption.get("reason"), words[None])
    options = disruption.get("options") if isinstance(disruption.get("options"), dict) else {}
    return {"what": template.format(place=place or clinic, provider=provider or clinician),
            "reason": disruption.get("reason") or "",
            "telehealth": options.get("telehealth") is True}
