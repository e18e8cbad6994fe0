"""Who may see or change a booking, and the audit line every such request leaves.

Staff see everything; a clinician sees the bookings of their own provider id; a patient
holding a booking's manage token may read, cancel or reschedule that booking only. Every
other case answers 404 after the same work (the token is hashed and compared whether or
not the booking exists), so a guess learns nothing, not even whether the id exists.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Flask, g, request

from clinic_common.auth import bearer_claims
from clinic_common.errors import NotFound
from clinic_common.logs import log_failure
from clinic_common.web import resource

from bookings.domain.booking import is_booking_id
from bookings.domain.tokens import hash_token, token_matches

log = logging.getLogger(__name__)
NO_SUCH_HASH = hash_token("no booking has this token")


@dataclass
class Audit:
    action: str
    target_type: str
    target_ids: list


def audit(action: str, target_type: str, *target_ids: str) -> None:
    g.audit = Audit(action, target_type, [t for t in target_ids if t])


def booking_for_caller(booking_id: str, token_allowed: bool = True) -> dict:
    booking = resource("bookings").get(booking_id) if is_booking_id(booking_id) else None
    token_ok = token_matches(request.headers.get("X-Manage-Token"),
                             booking["manage_token_hash"] if booking else NO_SUCH_HASH)
    claims = bearer_claims()
    allowed = booking is not None and (
        (claims is not None and claims.is_staff)
        or (claims is not None and claims.role == "clinician" and claims.provider_id == booking["provider_id"]
            and request.method == "GET")
        or (token_allowed and token_ok))
    if not allowed:
        raise NotFound("No booking with that id is available to you.")
    return booking


def actor() -> tuple[str, str | None]:
    try:
        claims = bearer_claims()
    except Exception:
        claims = None
    if claims is not None:
        return claims.sub, claims.role
    return ("manage-token", None) if request.headers.get("X-Manage-Token") else ("public", None)


def install_audit(app: Flask) -> None:
    @app.after_request
    def _record(response):
        entry: Audit | None = g.pop("audit", None)
        if entry is not None:
            who, role = actor()
            try:
                resource("audit").record(actor=who, role=role, action=entry.action, target_type=entry.target_type,
                                         target_ids=entry.target_ids, outcome=response.status_code,
                                         request_id=g.get("request_id", ""))
            except Exception as exc:  # the answer stands; the gap in the trail must be loud
                log_failure(log, "audit entry could not be written", exc, action=entry.action)
        return response
