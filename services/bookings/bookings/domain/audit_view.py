"""How an audit entry reads to staff: who (the kind of actor and, for a signed-in person, their subject),
what, when and the outcome. Pure.

The trail (clinic_common/audit.py) stores the token's subject, or a marker for a patient's credential
("manage-token", "manage-link") or for nobody ("public", "invalid-token"): never the credential itself,
and never a patient's contact details. Only a signed-in person's subject is shown as a subject.
"""
from __future__ import annotations

from datetime import datetime

ROLES = ("staff", "admin", "clinician")
MARKERS = {"manage-token": ("patient", "manage_token"), "manage-link": ("patient", "manage_link"),
           "public": ("anonymous", None), "invalid-token": ("anonymous", "invalid_token")}
DEFAULT_LIMIT, MAX_LIMIT = 50, 200


def actor_of(actor: str | None, role: str | None) -> dict:
    """{"kind": staff | admin | clinician | patient | anonymous | service, "subject": str | None,
    "credential": manage_token | manage_link | invalid_token | None}."""
    if role in ROLES:
        return {"kind": role, "subject": actor, "credential": None}
    if actor in MARKERS:
        kind, credential = MARKERS[actor]
        return {"kind": kind, "subject": None, "credential": credential}
    return {"kind": "service" if role else "anonymous", "subject": None, "credential": None}


def entry_view(doc: dict) -> dict:
    """An entry as the API shows it: nothing beyond the stored fields, the actor read as above."""
    at = doc.get("at")
    return {"at": at.isoformat() if isinstance(at, datetime) else at, "action": doc.get("action"),
            "target_type": doc.get("target_type"), "outcome": doc.get("outcome"),
            "request_id": doc.get("request_id") or None, "actor": actor_of(doc.get("actor"), doc.get("role"))}


def page_of(docs: list[dict], limit: int) -> tuple[list[dict], str | None]:
    """The first `limit` of `docs` (newest first, one more asked than shown) and the cursor of the next
    page: the `at` of the last shown entry, or None when there is no more."""
    shown = docs[:limit]
    more = len(docs) > limit and shown
    return [entry_view(d) for d in shown], (entry_view(shown[-1])["at"] if more else None)
