"""What a combined visit is: its stored form, the steps of booking it, and why one is refused.

A visit is written before anything is claimed (status `pending`, step `claiming`), moves to step
`storing` once every part's span is held, and ends `booked` (with its event) when every part's
booking is stored. While it is pending it keeps its `plan`, the part bookings it will store, so
that housekeeping (visit_housekeeping.py) can finish a visit whose process died, without asking
locations again; the plan goes when the visit is booked. `parts` keeps, for good, where each part
sits in its provider's ledger: what undoing a visit must free.
"""
from __future__ import annotations

from bookings.domain.errors import BookingsRefusal

PENDING, BOOKED, CANCELLED = "pending", "booked", "cancelled"
STATUSES = (PENDING, BOOKED, CANCELLED)
CLAIMING, STORING = "claiming", "storing"
UNDONE_REASON = "The combined visit could not be completed."


class VisitInvalid(BookingsRefusal):
    """The parts cannot be one trip (one part, the same provider twice, different days, too long a gap)."""


class VisitAbandoned(BookingsRefusal):
    """Housekeeping undid the visit while this request was slow: nothing of it stays booked."""


def visit_document(visit_id: str, part_docs: list[dict], token_hash: str) -> dict:
    """The pending visit; `part_docs` are its bookings-to-be in time order, each carrying `visit_id`."""
    first = part_docs[0]
    return {
        "_id": visit_id, "status": PENDING, "step": CLAIMING,
        "location_id": first["location_id"], "modality": first["modality"], "timezone": first["timezone"],
        "patient": dict(first["patient"]),
        "manage_token_hash": token_hash,
        "parts": [ledger_place(doc) for doc in part_docs],
        "plan": part_docs,
    }


def ledger_place(part: dict) -> dict:
    return {"booking_id": part["_id"], "provider_id": part["provider_id"], "start": part["start"],
            "blocked_until": part["blocked_until"]}


def booking_ids(visit: dict) -> list[str]:
    return [part["booking_id"] for part in visit["parts"]]
