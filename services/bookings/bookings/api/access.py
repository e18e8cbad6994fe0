"""Who may see or change a booking, and the audit line every such request leaves.

Staff see everything; a clinician sees the bookings of their own provider id; a patient
holding a booking's manage token may read, cancel or reschedule that booking only. Every
other case answers 404 after the same work (the token is hashed and compared whether or
not the booking exists), so a guess learns nothing, not even whether the id exists.
The trail itself (marking, recording, the store) is clinic_common.audit; here is who the caller is.
"""
from __future__ import annotations

from flask import Flask, request

from clinic_common.audit import audit, install_audit as install_shared_audit, token_actor
from clinic_common.auth import bearer_claims
from clinic_common.errors import NotFound
from clinic_common.web import resource

from bookings.domain.booking import is_booking_id
from bookings.domain.tokens import hash_token, token_matches

__all__ = ["audit", "booking_for_caller", "install_audit"]
NO_SUCH_HASH = hash_token("no booking has this token")


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
    """The token's subject; else "manage-token" when one was shown (valid or not: the outcome says)."""
    who, role = token_actor()
    if who == "public" and request.headers.get("X-Manage-Token"):
        return "manage-token", None
    return who, role


def install_audit(app: Flask) -> None:
    install_shared_audit(app, actor)
