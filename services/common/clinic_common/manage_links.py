"""The manage link every message to a patient carries: a credential bookings can check and nobody stores.

Why a signed credential and not the manage token: the token is shown once and only its hash is kept, so
no service can put it in a later message, and events (which travel to every consumer and parking queue)
must carry no credential at all. Notifications therefore mints, for the message it is sending, a
credential bound to one booking (or series, or combined visit) and to an expiry; bookings checks it on
`X-Manage-Token` next to the stored-hash token. Nothing new is kept at rest, so nothing can leak from the
datastore; the key lives only in the two services' settings (MANAGE_LINK_SECRET, else derived from
JWT_SECRET under its own context, never the JWT key itself).

    m1-<kind>-<expires, unix seconds>-<mac>     kind: b (a booking), s (a series), v (a combined visit)
    mac = base64url(HMAC-SHA256(key, "manage|<kind>|<id>|<expires>"))[:43]

The id is not in the credential: the page puts the booking id beside it (#manage=<booking id>.<credential>)
and bookings computes the mac over the id the kind names *from the stored booking* (its own id, its
series_id, its visit_id), so one booking's link never opens another's. A cancelled booking refuses its
links (revoked), an expired link is refused, and every refusal is the same 404 as a wrong link.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
from datetime import datetime, timedelta

CONTEXT = b"clinic manage link v1"
KINDS = {"booking": "b", "series": "s", "visit": "v"}
CREDENTIAL = re.compile(r"^m1-([bsv])-([0-9]{1,12})-([A-Za-z0-9_-]{43})$")
DEFAULT_DAYS_AFTER_VISIT = 14


def link_key(secret: str, jwt_secret: str) -> bytes:
    """MANAGE_LINK_SECRET when set, else a key derived from JWT_SECRET (never the JWT key itself)."""
    return hmac.new((secret or jwt_secret).encode(), CONTEXT, hashlib.sha256).digest()


def expiry_after(last_end: datetime, days_after_visit: int = DEFAULT_DAYS_AFTER_VISIT) -> int:
    """A link lives until `days_after_visit` after the (last) visit ends: long enough for a receipt or a
    question, short enough that an old inbox is no key to the booking."""
    return int((last_end + timedelta(days=days_after_visit)).timestamp())


def _mac(key: bytes, kind: str, subject_id: str, expires: int) -> str:
    digest = hmac.new(key, f"manage|{kind}|{subject_id}|{expires}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def mint(key: bytes, kind: str, subject_id: str, expires: int) -> str:
    """The credential for a booking / series / visit (`kind` as in KINDS) until `expires` (unix seconds)."""
    code = KINDS[kind]
    return f"m1-{code}-{expires}-{_mac(key, code, subject_id, expires)}"


def manage_url(page_url: str, key: bytes, booking_id: str, kind: str, subject_id: str, expires: int) -> str:
    """The booking page opened on `booking_id`; the credential rides in the fragment, which browsers never
    send to a server, so it appears in no access log."""
    return f"{page_url.split('#')[0]}#manage={booking_id}.{mint(key, kind, subject_id, expires)}"


def is_link_credential(token: str | None) -> bool:
    return bool(token) and token.startswith("m1-")


def link_opens(key: bytes, token: str | None, booking: dict | None, now: datetime) -> bool:
    """Does this credential open `booking` now? False for anything malformed, expired, minted for another
    booking / series / visit, or a booking that is cancelled. Always one HMAC, so refusals cost the same."""
    match = CREDENTIAL.match(token or "")
    kind, expires, mac = (match.group(1), int(match.group(2)), match.group(3)) if match else ("b", 0, "")
    subject = {"b": "id", "s": "series_id", "v": "visit_id"}[kind]
    subject_id = (booking or {}).get(subject) or ""
    good_mac = hmac.compare_digest(_mac(key, kind, subject_id, expires), mac)
    return bool(match and booking and subject_id and good_mac and now.timestamp() < expires
                and booking.get("status") != "cancelled")
