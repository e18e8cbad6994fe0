"""The client's address, vouched for: what a service may count per client (bookings' holds).

The gateway alone knows who the client is (the peer, or the address TRUSTED_PROXIES reveals). It
sends `X-Client-Address` with `X-Client-Address-Proof`, an HMAC-SHA256 of the address under a key
derived from the JWT secret every process shares (never the secret itself). A client's own copies
of these headers never pass the gateway (proxy.FORWARDED_REQUEST does not list them), and a service
ignores an address whose proof does not check out (bookings/domain/holds.py computes the same).
"""
from __future__ import annotations

import hashlib
import hmac

from flask import current_app, request

HEADER, PROOF_HEADER = "X-Client-Address", "X-Client-Address-Proof"
PROOF_CONTEXT = b"clinic client address v1"


def address_proof(jwt_secret: str, address: str) -> str:
    key = hmac.new(jwt_secret.encode(), PROOF_CONTEXT, hashlib.sha256).digest()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()


def client_address_headers() -> dict[str, str]:
    address = request.remote_addr or ""
    secret = current_app.config["CLINIC_SETTINGS"].jwt_secret
    if not address or not secret:
        return {}
    return {HEADER: address, PROOF_HEADER: address_proof(secret, address)}
