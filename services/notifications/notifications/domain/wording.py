"""How times, places and phone numbers read in each language. Pure: the templates only print these."""
from __future__ import annotations

from datetime import datetime

DAYS = {"en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")}
MONTHS = {"en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                 "October", "November", "December"),
          "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
                 "octubre", "noviembre", "diciembre")}


def local_when(moment: datetime, language: str) -> dict:
    """`moment` is aware in the location's zone: its date and time as a patient there reads them.

    The zone's abbreviation (CST / CDT) is always printed: it is what tells a patient in
    another zone, or a mail client that shows its own time, which clock is meant.
    """
    day, month = DAYS[language][moment.weekday()], MONTHS[language][moment.month - 1]
    hour12 = moment.hour % 12 or 12
    if language == "es":
        date = f"{day}, {moment.day} de {month} de {moment.year}"
        time = f"{hour12}:{moment.minute:02d} {'a. m.' if moment.hour < 12 else 'p. m.'}"
    else:
        date = f"{day}, {month} {moment.day}, {moment.year}"
        time = f"{hour12}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"
    zone = moment.tzname() or ""
    return {"date": date, "time": time, "zone": zone, "full": f"{date}, {time} {zone}".strip()}


def format_phone(phone: str | None) -> str:
    """North American numbers as (870) 555-0100; anything else as given."""
    if not phone:
        return ""
    digits = phone.removeprefix("+1")
    if phone.startswith("+1") and len(digits) == 10 and digits.isdigit():
        return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    return phone


def format_address(address: dict | None) -> str:
    if not isinstance(address, dict):
        return ""
    city_line = " ".join(p for p in (f"{address.get('city', '')},", address.get("state", ""),
                                     address.get("postal_code", "")) if p and p != ",")
    return "\n".join(p for p in (address.get("line1", ""), city_line) if p)


def join_url(base_url: str, booking_id: str) -> str:
    return f"{base_url.rstrip('/')}/{booking_id}"
