"""Bearer-token verification (HS256, claims sub / role / provider_id / exp) and role checks for views."""
from __future__ import annotations

import functools
from dataclasses import dataclass

import jwt
from flask import current_app, g, request

from clinic_common.errors import Forbidden, Unauthorized

ROLES = ("staff", "clinician", "admin")


@dataclass(frozen=True)
class Claims:
    sub: str
    role: str
    provider_id: str | None = None

    @property
    def is_staff(self) -> bool:
        return self.role in ("staff", "admin")


def decode_token(token: str, secret: str) -> Claims:
    try:
        payload = jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["exp", "sub"]})
    except jwt.ExpiredSignatureError:
        raise Unauthorized("The token has expired.") from None
    except jwt.PyJWTError:
        raise Unauthorized("The token is not valid.") from None
    role = payload.get("role")
    if role not in ROLES:
        raise Unauthorized("The token has no known role.")
    if role == "clinician" and not payload.get("provider_id"):
        raise Unauthorized("A clinician token must name its provider_id.")
    return Claims(sub=str(payload["sub"]), role=role, provider_id=payload.get("provider_id"))


def issue_token(secret: str, sub: str, role: str, provider_id: str | None = None, ttl_s: int = 3600) -> str:
    """Mint a token (tests, `make token`); production tokens come from the practice's identity provider."""
    import time

    claims = {"sub": sub, "role": role, "exp": int(time.time()) + ttl_s}
    if provider_id:
        claims["provider_id"] = provider_id
    return jwt.encode(claims, secret, algorithm="HS256")


def bearer_claims() -> Claims | None:
    """The verified claims of this request, None when it carries no token; 401 for a bad one."""
    if "claims" in g:
        return g.claims
    header = request.headers.get("Authorization", "")
    claims = None
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise Unauthorized("Authorization must be 'Bearer <token>'.")
        claims = decode_token(token.strip(), current_app.config["CLINIC_SETTINGS"].jwt_secret)
    g.claims = claims
    return claims


def require_roles(*roles: str):
    """View decorator: 401 without a valid token, 403 when its role is not one of `roles`."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            claims = bearer_claims()
            if claims is None:
                raise Unauthorized("This route needs a bearer token.")
            if claims.role not in roles:
                raise Forbidden(f"The role '{claims.role}' may not do this.")
            return view(*args, **kwargs)

        _document_bearer(wrapper)
        return wrapper

    return decorate


def _document_bearer(view) -> None:
    """Say in the OpenAPI document (flask-smorest's `_apidoc`) that this route needs a bearer token."""
    from copy import deepcopy

    apidoc = deepcopy(getattr(view, "_apidoc", {}))
    manual = apidoc.setdefault("manual_doc", {})
    manual["security"] = [{"bearerAuth": []}]
    manual.setdefault("responses", {}).update({401: "UNAUTHORIZED", 403: "FORBIDDEN"})
    view._apidoc = apidoc


STAFF = ("staff", "admin")
