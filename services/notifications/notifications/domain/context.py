"""What a message says, as plain values for the templates: the visit on the patient's clock beside the
clinic's, where to go (in person) or how to join (telehealth), and the link that manages it. Pure."""
from __future__ import annotations

from clinic_common.us_states import state_name

from notifications.domain.appointment import Appointment, display_name, language_of
from notifications.domain.careplan import CarePlan
from notifications.domain.disruption import disruption_context
from notifications.domain.wording import format_address, format_phone, join_url, local_when, when_span

SMS_NAME_MAX = 26  # a long clinic name is cut in an SMS, which must stay within two parts


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


def appointment_context(appt: Appointment, join_base_url: str, offset_hours: float | None = None, *,
                        manage_url: str = "", book_url: str = "") -> dict:
    """`manage_url`: the link that manages this booking (none for a cancelled one); `book_url`: the page to
    book again."""
    language = appt.language
    location = appt.location or {}
    telehealth = appt.modality == "telehealth"
    when = local_when(appt.start, language, appt.patient_zone)
    ends = local_when(appt.end, language, appt.patient_zone)["time"]
    place = display_name(location, language)
    return {
        "language": language,
        "patient_name": str(appt.patient.get("name") or ""),
        "service": appt.service_name,
        "provider": appt.provider_name,
        "when": when,
        "ends": ends,
        "span": when_span(when, ends, language),
        "telehealth": telehealth,
        "join_url": join_url(join_base_url, appt.booking_id) if telehealth else "",
        "state_name": state_name(appt.patient_state, language) if telehealth and appt.patient_state else "",
        "place": {"name": place, "address": format_address(location.get("address")),
                  "phone": format_phone(location.get("phone"))},
        "sms_name": sms_name(place),
        "manage_url": manage_url,
        "book_url": book_url,
        "disruption": disruption_context(appt.disruption, language, place if not telehealth else "",
                                         appt.provider_name),
        "cancel_reason": appt.cancel_reason or "",
        "lead": reminder_lead(offset_hours, language),
        "status": appt.status,
        "in_series": appt.series_id is not None,
        "in_visit": appt.visit_id is not None,
    }


def plan_context(plan: CarePlan, contexts: list[tuple[Appointment, dict]], manage_url: str = "") -> dict:
    """A series or combined visit: each visit as a booking's message shows it, those still booked and those
    cancelled, with what they share (the first visit's place and people) for the greeting and sign-off, and
    the link that manages the plan (none when nothing of it is still booked)."""
    booked = [context for visit, context in contexts if visit.status in ("requested", "confirmed")]
    cancelled = [context for visit, context in contexts if visit.status == "cancelled"]
    first = (booked or cancelled or [contexts[0][1]])[0]
    return {**first, "kind": plan.kind, "every_weeks": plan.every_weeks, "visits": booked, "cancelled": cancelled,
            "requested": any(context["status"] == "requested" for context in booked), "manage_url": manage_url}


def sms_name(name: str) -> str:
    """The clinic's name as an SMS opens with it: who is writing, cut short when long."""
    return name if len(name) <= SMS_NAME_MAX else name[:SMS_NAME_MAX - 3].rstrip() + "..."


def request_context(data: dict) -> dict:
    """An appointment request has no time yet: the patient's name and what they asked for."""
    patient = data.get("patient") if isinstance(data.get("patient"), dict) else {}
    service = data.get("service") if isinstance(data.get("service"), dict) else {}
    return {"patient_name": str(patient.get("name") or ""), "service": display_name(service, language_of(patient)),
            "when": None, "telehealth": data.get("modality") == "telehealth", "place": None, "sms_name": "",
            "manage_url": "", "book_url": ""}
