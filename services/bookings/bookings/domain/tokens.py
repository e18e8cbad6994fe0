"""Manage tokens: 256 random bits shown once; only a hash is ever stored."""
from __future__ import annotations

import hashlib
import hmac
import secrets


def new_manage_token() -> tuple[str, str]:
    """(token for the patient, hash for the datastore)."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    # A plain SHA-256 suffices: the token carries 256 bits of entropy, so there is nothing to brute-force.
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(token: str | None, stored_hash: str) -> bool:
    if not token:
        return False
    return hmac.compare_digest(hash_token(token), stored_hash)
