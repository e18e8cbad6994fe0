"""The audit trail of access to patient data, one way for every service: who, what, when, the outcome
and the request id, appended to `audit` in the service's own database.

A view marks what it touches (`audited` around it, or `audit(...)` inside) before access is decided,
so a refusal (401, 403, 404, 422) is recorded like a success: the trail answers "who tried to see
this booking?", not only "who saw it?". Entries hold ids and actors, never patient details, and what
came from the client (ids in the URL) is bounded and stripped of control characters first.
"""
from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

from flask import Flask, current_app, g
from pymongo import ASCENDING, DESCENDING
from pymongo.database import Database

from clinic_common.auth import bearer_claims
from clinic_common.errors import Unauthorized
from clinic_common.logs import bounded_text, log_failure

log = logging.getLogger(__name__)
COLLECTION = "audit"
MAX_ID_CHARS = 80  # our ids are at most 64; a longer one is a probe, kept recognisable but bounded


@dataclass
class Audit:
    action: str
    target_type: str
    target_ids: list = field(default_factory=list)


def audit(action: str, target_type: str, *target_ids: str | None) -> None:
    """Mark this request for the trail; the outcome is added when the response is known."""
    g.audit = Audit(action, target_type, [bounded_text(str(t), MAX_ID_CHARS) for t in target_ids if t])


def audited(action: str, target_type: str, targets: Callable[[dict], list] = lambda kwargs: []):
    """View decorator, outermost: marks the request before any role check or argument parsing runs.
    `targets(view_kwargs)` names what the request is about (e.g. the id in the URL)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            audit(action, target_type, *targets(kwargs))
            return view(*args, **kwargs)

        return wrapper

    return decorate


def url_id(name: str) -> Callable[[dict], list]:
    return lambda kwargs: [kwargs.get(name)]


def token_actor() -> tuple[str, str | None]:
    """(who, role): the token's subject, "invalid-token" for one that does not verify, else "public"."""
    try:
        claims = bearer_claims()
    except Unauthorized:
        return "invalid-token", None
    return (bounded_text(claims.sub, MAX_ID_CHARS), claims.role) if claims else ("public", None)


class AuditLog:
    """Append-only: inserts only; nothing in the code base updates or deletes an entry."""

    def __init__(self, db: Database):
        self._coll = db[COLLECTION]

    @classmethod
    def connect(cls, db: Database) -> "AuditLog":
        log = cls(db)
        log._coll.create_index([("target_ids", ASCENDING), ("at", DESCENDING)])  # "who touched this booking?"
        return log

    def record(self, *, actor: str, role: str | None, action: str, target_type: str, target_ids: list[str],
               outcome: int, request_id: str) -> None:
        self._coll.insert_one({"at": datetime.now(timezone.utc), "actor": actor, "role": role, "action": action,
                               "target_type": target_type, "target_ids": target_ids, "outcome": outcome,
                               "request_id": request_id})


def install_audit(app: Flask, actor: Callable[[], tuple[str, str | None]] = token_actor) -> None:
    """Record each marked request with its outcome, into the service's resource "audit".
    A service whose callers may prove themselves otherwise (a manage token) passes its own `actor`."""
    app.extensions["clinic_audit_actor"] = actor
    if app.extensions.get("clinic_audit_installed"):
        return
    app.extensions["clinic_audit_installed"] = True
    app.after_request(_record)


def _record(response):
    entry: Audit | None = g.pop("audit", None)
    if entry is None:
        return response
    try:
        who, role = current_app.extensions["clinic_audit_actor"]()
        current_app.extensions["clinic"].get("audit").record(
            actor=who, role=role, action=entry.action, target_type=entry.target_type, target_ids=entry.target_ids,
            outcome=response.status_code, request_id=g.get("request_id", ""))
    except Exception as exc:  # the answer stands; the gap in the trail must be loud
        log_failure(log, "audit entry could not be written", exc, action=entry.action)
    return response
