"""What a message says, as plain values for the templates: the visit in the clinic's local time,
where to go (in person) or how to join (telehealth). Pure."""
from __future__ import annotations

from notifications.domain.appointment import Appointment
from notifications.domain.careplan import CarePlan
from notifications.domain.wording import format_address, format_phone, join_url, local_when


def reminder_lead(offset_hours: float | None, language: str) -> str:
    """'tomorrow' / 'in 2 hours', for a reminder's opening line."""
    if not offset_hours:
        return ""
    if offset_hours % 24 == 0:
        days = int(offset_hours // 24)
        if days == 1:
            return "mañana" if language == "es" else "tomorrow"
        return f"en {days} días" if language == "es" else f"in {days} days"
    hours = f"{offset_hours:g}"
    if language == "es":
        return f"en {hours} hora" + ("" if offset_hours == 1 else "s")
    return f"in {hours} hour" + ("" if offset_hours == 1 else "s")


def appointment_context(appt: Appointment, join_base_url: str, offset_hours: float | None = None) -> dict:
    language = appt.language
    location = appt.location or {}
    telehealth = appt.modality == "telehealth"
    return {
        "language": language,
        "patient_name": str(appt.patient.get("name") or ""),
        "service": appt.service_name,
        "provider": appt.provider_name,
        "when": local_when(appt.start, language),
        "ends": local_when(appt.end, language)["time"],
        "telehealth": telehealth,
        "join_url": join_url(join_base_url, appt.booking_id) if telehealth else "",
        "place": {"name": str(location.get("name") or ""), "address": format_address(location.get("address")),
                  "phone": format_phone(location.get("phone"))},
        "cancel_reason": appt.cancel_reason or "",
        "lead": reminder_lead(offset_hours, language),
        "status": appt.status,
        "in_series": appt.series_id is not None,
        "in_visit": appt.visit_id is not None,
    }


def plan_context(plan: CarePlan, contexts: list[tuple[Appointment, dict]]) -> dict:
    """A series or combined visit: each visit as a booking's message shows it, those still booked and those
    cancelled, with what they share (the first visit's place and people) for the greeting and sign-off."""
    booked = [context for visit, context in contexts if visit.status in ("requested", "confirmed")]
    cancelled = [context for visit, context in contexts if visit.status == "cancelled"]
    first = (booked or cancelled or [contexts[0][1]])[0]
    return {**first, "kind": plan.kind, "every_weeks": plan.every_weeks, "visits": booked, "cancelled": cancelled,
            "requested": any(context["status"] == "requested" for context in booked)}


def request_context(data: dict) -> dict:
    """An appointment request has no time yet: the patient's name and what they asked for."""
    patient = data.get("patient") if isinstance(data.get("patient"), dict) else {}
    service = data.get("service") if isinstance(data.get("service"), dict) else {}
    return {"patient_name": str(patient.get("name") or ""), "service": str(service.get("name") or ""),
            "when": None, "telehealth": data.get("modality") == "telehealth", "place": None}
