"""Free slots for a location, service and date range, from the locations answer and the ledger."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bookings.domain.booking import service_of, windows_of
from bookings.domain.slots import Policy, Span, free_starts


def covering_span(answer: dict) -> Span | None:
    """The span from the earliest window to the latest: what the ledger must be asked about."""
    windows = [w for p in answer["providers"] for w in windows_of(answer, p["id"])]
    if not windows:
        return None
    return Span(min(w.start for w in windows), max(w.end for w in windows))


def free_slots(answer: dict, busy: dict[str, list[Span]], now: datetime, policy: Policy) -> list[dict]:
    service = service_of(answer["service"])
    location = answer["location"]
    zone = ZoneInfo(location["timezone"])
    slots = []
    for provider in answer["providers"]:
        for start in free_starts(windows_of(answer, provider["id"]), busy.get(provider["id"], []), service, now, policy):
            slots.append({"start": start.astimezone(zone).isoformat(),
                          "end": (start + service.duration).astimezone(zone).isoformat(),
                          "provider_id": provider["id"], "location_id": location["id"],
                          "modality": answer["modality"], "_at": start})
    slots.sort(key=lambda s: (s["_at"], s["provider_id"]))
    return [{k: v for k, v in s.items() if k != "_at"} for s in slots]
