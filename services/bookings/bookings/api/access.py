"""Who may see or change a booking, and the audit line every such request leaves.

Staff see everything; a clinician sees the bookings of their own provider id; a patient
holding a booking's manage token, or the manage link of a message about it (a credential
clinic_common.manage_links checks, sent in the same X-Manage-Token header), may read, cancel or
reschedule that booking only, under the patient's policy. Every other case answers 404 after the
same work (the token is hashed and the link's MAC computed whether or not the booking exists, and
whichever of the two was shown), so a guess learns nothing, not even whether the id exists; a
wrong, expired or revoked (cancelled) link is refused exactly like a wrong token.
The trail itself (marking, recording, the store) is clinic_common.audit; here is who the caller is.
"""
from __future__ import annotations

from flask import Flask, current_app, request

from clinic_common.audit import audit, install_audit as install_shared_audit, token_actor
from clinic_common.auth import bearer_claims
from clinic_common.errors import NotFound
from clinic_common.manage_links import is_link_credential, link_opens
from clinic_common.web import resource

from bookings.config import manage_link_key
from bookings.domain.booking import is_booking_id
from bookings.domain.tokens import hash_token, token_matches

__all__ = ["audit", "booking_for_caller", "install_audit", "patient_credential_ok"]
NO_SUCH_HASH = hash_token("no booking has this token")


def patient_credential_ok(stored: dict | None, link_subject: dict | None, no_such_hash: str = NO_SUCH_HASH) -> bool:
    """Does X-Manage-Token open `stored` (a booking, series or visit document): its manage token, or a
    manage link minted for `link_subject` (the ids a link may name, and the status that revokes it)?
    Both checks always run, so a refusal costs the same whichever was shown and whether `stored` exists."""
    shown = request.headers.get("X-Manage-Token")
    token_ok = token_matches(shown, stored["manage_token_hash"] if stored else no_such_hash)
    settings = current_app.config["CLINIC_SETTINGS"]
    link_ok = link_opens(manage_link_key(settings), shown, link_subject, current_app.extensions["clock"]())
    return stored is not None and (token_ok or link_ok)


def booking_link_subject(booking: dict | None) -> dict | None:
    """What a link may open a booking by: its own id, its series' or its combined visit's."""
    if booking is None:
        return None
    return {"id": booking["_id"], "series_id": booking.get("series_id"), "visit_id": booking.get("visit_id"),
            "status": booking["status"]}


def booking_for_caller(booking_id: str, token_allowed: bool = True) -> dict:
    booking = resource("bookings").get(booking_id) if is_booking_id(booking_id) else None
    token_ok = patient_credential_ok(booking, booking_link_subject(booking))
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
    """The token's subject; else "manage-link" or "manage-token" when one was shown (valid or not: the
    outcome says)."""
    who, role = token_actor()
    shown = request.headers.get("X-Manage-Token")
    if who == "public" and shown:
        return ("manage-link" if is_link_credential(shown) else "manage-token"), None
    return who, role


def install_audit(app: Flask) -> None:
    install_shared_audit(app, actor)
