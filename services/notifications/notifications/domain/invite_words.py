"""What a calendar event says about a visit, in the patient's language: its title, where, and a description
with the time on the patient's clock, how to join or where to go, and the link that manages it (or, for a
cancelled visit, where to book again). Pure; the event's DTSTART keeps the clinic's zone (TZID), which
calendar apps show on the device's own clock."""
from __future__ import annotations

from notifications.domain.calendar import Wording

WORDS = {
    "en": {"with": " with ", "visit": "Appointment", "when": "When: {}", "telehealth": "Telehealth video visit: {}",
           "state": "Please be in {} during the visit.", "phone": "Phone: {}",
           "manage": "View, move or cancel: {}", "again": "Cancelled. To book again: {}",
           "call": "Or call {}."},
    "es": {"with": " con ", "visit": "Cita", "when": "Cuándo: {}", "telehealth": "Consulta por video (telesalud): {}",
           "state": "Esté en {} durante la consulta.", "phone": "Teléfono: {}",
           "manage": "Ver, cambiar o cancelar: {}", "again": "Cancelada. Para reservar otra cita: {}",
           "call": "O llame al {}."},
}


def invite_wording(context: dict, cancelled: bool = False) -> Wording:
    return Wording(summary(context), where(context), description(context, cancelled),
                   "" if cancelled else context.get("manage_url", ""))


def summary(context: dict) -> str:
    words = WORDS[context["language"]]
    return words["with"].join(p for p in (context["service"], context["provider"]) if p) or words["visit"]


def where(context: dict) -> str:
    if context["telehealth"]:
        return context["join_url"]
    place = context["place"]
    return ", ".join(p for p in (place["name"], place["address"].replace("\n", ", ")) if p)


def description(context: dict, cancelled: bool = False) -> str:
    words, place = WORDS[context["language"]], context["place"]
    lines = [words["when"].format(context["span"])]
    if context["telehealth"]:
        lines.append(words["telehealth"].format(context["join_url"]))
        if context.get("state_name"):
            lines.append(words["state"].format(context["state_name"]))
    else:
        lines.append(where(context))
    if place["phone"]:
        lines.append(words["phone"].format(place["phone"]))
    if cancelled or not context.get("manage_url"):
        lines.append(words["again"].format(context["book_url"]) if context.get("book_url") else "")
    else:
        lines.append(words["manage"].format(context["manage_url"]))
    return "\n".join(line for line in lines if line)
