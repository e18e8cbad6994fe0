"""What a hold is: a slot kept for one patient for HOLD_MINUTES while they fill in the form.

A hold is a ledger entry that stops counting at `expires_at` (store/ledger.py) plus a document
(store/holds.py) that keeps its slot, its token's hash and how it ended. Its token, like a
manage token, is shown once; only its hash is stored.

The client address a hold counts against is the one the gateway vouches for: the gateway sends
`X-Client-Address` with `X-Client-Address-Proof`, an HMAC of the address under a key derived
from the shared JWT secret (gateway/gateway/client_address.py computes the same). Without a
proof that checks out, the header is ignored and the peer's address counts.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from datetime import datetime, timedelta, timezone

from clinic_common.errors import DomainError

from bookings.domain.booking import slot_fields
from bookings.domain.schedule import Schedule

HOLD_ID = re.compile(r"^[0-9a-f]{32}$")
PROOF_CONTEXT = b"clinic client address v1"
RAN_OUT = "The hold on this time ran out (or was let go); please pick the time again."


class TooManyHolds(DomainError):
    status, slug, title = 429, "too-many-holds", "Too many holds"


def new_hold_id() -> str:
    return uuid.uuid4().hex


def is_hold_id(value: str | None) -> bool:
    return bool(HOLD_ID.match(value or ""))


def proof_key(jwt_secret: str) -> bytes:
    """Its own key, derived from the secret every process already shares (never the secret itself)."""
    return hmac.new(jwt_secret.encode(), PROOF_CONTEXT, hashlib.sha256).digest()


def address_proof(jwt_secret: str, address: str) -> str:
    return hmac.new(proof_key(jwt_secret), address.encode(), hashlib.sha256).hexdigest()


def vouched_address(jwt_secret: str, address: str | None, proof: str | None) -> str | None:
    """The address, when its proof is the gateway's; otherwise None."""
    if not address or not proof or not jwt_secret:
        return None
    return address if hmac.compare_digest(address_proof(jwt_secret, address), proof) else None


def hold_document(request: dict, schedule: Schedule, *, hold_id: str, token_hash: str, client: str, place: str,
                  now: datetime, minutes: float) -> dict:
    start = request["start"].astimezone(timezone.utc)
    expires_at = now + timedelta(minutes=minutes)
    return {
        "_id": hold_id,
        "service_id": schedule.visit_type.id, "location_id": schedule.location.id, "modality": schedule.modality,
        **{k: v for k, v in slot_fields(start, schedule, request["provider_id"]).items() if k != "provider"},
        "timezone": schedule.location.timezone,
        "patient_state": request.get("patient_state"),
        "token_hash": token_hash,
        "client": client,
        "place": place,          # its client's place (store/holds.py)
        "created_at": now,
        "expires_at": expires_at,
        "ends_at": expires_at,   # moved to the release time when it is let go
        "released_at": None,
        "used_by": None,         # the booking it became
    }


def same_slot(hold: dict, body: dict) -> list[str]:
    """The fields of a booking request that differ from its hold's slot (empty: the same slot)."""
    wrong = [name for name in ("service_id", "provider_id", "location_id") if body.get(name) != hold[name]]
    if body["start"].astimezone(timezone.utc) != hold["start"].astimezone(timezone.utc):
        wrong.append("start")
    return wrong


def is_live(hold: dict, now: datetime) -> bool:
    return hold["used_by"] is None and hold["released_at"] is None and hold["expires_at"] > now
