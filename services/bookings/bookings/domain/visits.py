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
from bookings.domain.lifecycle import TRANSITIONS

PENDING, BOOKED, CANCELLED = "pending", "booked", "cancelled"
STATUSES = (PENDING, BOOKED, CANCELLED)
CLAIMING, STORING = "claiming", "storing"
UNDONE_REASON = "The combined visit could not be completed."
BOOKED_EVENT, CANCELLED_EVENT = "visit.booked", "visit.cancelled"


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


def cancellable_parts(parts) -> list[dict]:
    """The parts a cancel of their visit ends: those not yet begun, ended or cancelled on their own."""
    return [part for part in parts if part["status"] in TRANSITIONS["cancel"][0]]


def cancel_refusal(visit: dict, parts) -> str | None:
    """Why this visit cannot be cancelled now, or None. A part already cancelled on its own, checked in
    or ended stays as it is; a visit with no part left to cancel is refused (nothing would change)."""
    if visit["status"] != BOOKED:
        return f"A {visit['status']} visit cannot be cancelled."
    if visit.get("cancelling"):
        return "This visit is being cancelled already."
    if not cancellable_parts(parts):
        return "No part of this visit can still be cancelled."
    return None
