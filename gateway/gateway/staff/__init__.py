"""The staff web app at /staff (issue 13): sign-in, the session, the backend-for-frontend, the page.

Nothing here decides what a person may see or do: the services do, for the bearer token the BFF mints from
the session. The gateway only proves who is signed in and keeps the browser from ever holding that token.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

from flask import Blueprint, Flask, Response, request

from clinic_common.http import SessionPool, timeout_from
from gateway.config import GatewayConfig
from gateway.staff.bff import register_bff
from gateway.staff.guard import renew_cookie
from gateway.staff.oidc import OidcClient
from gateway.staff.page import register_page
from gateway.staff.session import SessionCodec, session_key
from gateway.staff.signin import register_signin


@dataclass
class StaffContext:
    settings: GatewayConfig
    key: bytes
    codec: SessionCodec
    oidc: OidcClient | None
    development: bool
    clock: Callable[[], float] = field(default=time.time)  # tests move it to see a session expire


def make_oidc(settings: GatewayConfig) -> OidcClient | None:
    if not (settings.oidc_issuer and settings.oidc_client_id):
        return None
    return OidcClient(settings.oidc_issuer, settings.oidc_client_id, settings.oidc_client_secret,
                      timeout_from(settings))


def register_staff(app: Flask, pool: SessionPool) -> None:
    settings: GatewayConfig = app.config["CLINIC_SETTINGS"]
    key = session_key(settings.staff_session_secret, settings.jwt_secret)
    # Secure everywhere but development, which runs over plain http on 127.0.0.1.
    codec = SessionCodec(key, settings.staff_idle_minutes * 60, secure=not settings.development)
    app.extensions["staff"] = StaffContext(settings, key, codec, make_oidc(settings), settings.development)
    bp = Blueprint("staff", __name__)
    register_signin(bp)
    register_bff(bp, pool, settings)
    register_page(bp)
    bp.after_request(renew_cookie)
    bp.after_request(_no_store)
    app.register_blueprint(bp)


def _no_store(response: Response) -> Response:
    """The session's answers (its CSRF token, who is signed in) and the API's (patient data) are never kept."""
    if request.endpoint not in ("staff.page", "staff.page_slash", "staff.asset"):
        response.headers["Cache-Control"] = "no-store"
    return response
