"""The staff session: one signed, HttpOnly cookie that the gateway checks, and renews, on every /staff call.

What it holds is who signed in (the subject the API's audit trail will name, a display name, the role and
a clinician's provider id), the CSRF token of this session, when it started and when a person last acted.
It is signed, not encrypted: only its holder can read it, and nothing in it is a credential for anything
but this gateway (the API bearer token is minted per call from it, never stored: see bff.py).

Expiry is decided here, on the server: a cookie whose last action is older than STAFF_IDLE_MINUTES, or whose
session started more than MAX_SESSION_HOURS ago, is refused, whatever the page believes.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import asdict, dataclass, replace

from flask import Response
from itsdangerous import BadSignature, URLSafeSerializer

CONTEXT = b"clinic staff session cookie v1"  # the derived key is never the JWT key itself
SECURE_NAME = "__Host-clinic-staff"  # __Host-: Secure, Path=/, no Domain: no sibling host can plant or read it
PLAIN_NAME = "clinic-staff"  # development over plain http, where a Secure cookie would not be kept
MAX_SESSION_HOURS = 12  # a working day: even a session in constant use signs in again the next morning
ROLES = ("staff", "clinician", "admin")


@dataclass(frozen=True)
class StaffSession:
    sub: str  # the API token's subject: what the audit trail records for every call of this session
    name: str
    role: str
    provider_id: str | None
    csrf: str
    started: float
    seen: float  # the last time a person acted (background polls do not count)
    via: str  # "oidc" | "development"

    def touched(self, now: float) -> "StaffSession":
        return replace(self, seen=now)

    def public(self, idle_s: float) -> dict:
        """What the page may know: never the cookie itself."""
        return {"sub": self.sub, "name": self.name, "role": self.role, "provider_id": self.provider_id,
                "csrf_token": self.csrf, "idle_seconds": idle_s, "via": self.via}


def new_session(sub: str, name: str, role: str, provider_id: str | None, via: str, now: float) -> StaffSession:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    return StaffSession(sub=sub, name=name or sub, role=role, provider_id=provider_id if role == "clinician" else None,
                        csrf=secrets.token_urlsafe(32), started=now, seen=now, via=via)


def session_key(session_secret: str, jwt_secret: str) -> bytes:
    """STAFF_SESSION_SECRET when set, else a key derived from JWT_SECRET under its own context."""
    return hmac.new((session_secret or jwt_secret).encode(), CONTEXT, hashlib.sha256).digest()


class SessionCodec:
    """Seals a StaffSession into a cookie value and back, and judges whether it is still alive."""

    def __init__(self, key: bytes, idle_s: float, secure: bool):
        self._serializer = URLSafeSerializer(key, salt="staff-session")
        self.idle_s = idle_s
        self.secure = secure
        self.cookie_name = SECURE_NAME if secure else PLAIN_NAME

    def dumps(self, session: StaffSession) -> str:
        return self._serializer.dumps(asdict(session))

    def loads(self, value: str | None) -> StaffSession | None:
        """The session in `value`, None for a missing, forged or malformed one."""
        if not value:
            return None
        try:
            data = self._serializer.loads(value)
            return StaffSession(**data)
        except (BadSignature, TypeError, ValueError):
            return None

    def expired(self, session: StaffSession, now: float) -> bool:
        return (now - session.seen > self.idle_s or now - session.started > MAX_SESSION_HOURS * 3600
                or session.seen > now + 60)  # from the future: not a cookie this gateway wrote

    def set_cookie(self, response: Response, session: StaffSession) -> None:
        # No Max-Age: a browser session cookie; the server's idle rule is what ends it.
        response.set_cookie(self.cookie_name, self.dumps(session), path="/", secure=self.secure, httponly=True,
                            samesite="Strict")

    def clear_cookie(self, response: Response) -> None:
        response.delete_cookie(self.cookie_name, path="/", secure=self.secure, httponly=True, samesite="Strict")


def csrf_matches(session: StaffSession, shown: str | None) -> bool:
    return bool(shown) and hmac.compare_digest(session.csrf.encode(), shown.encode())
