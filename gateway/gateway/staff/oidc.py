"""Sign-in through the practice's OpenID Connect provider: authorization code with PKCE (Authlib), the ID
token verified with the provider's published keys (joserfc), the clinic role read from a configured claim.

The gateway is a confidential client (OIDC_CLIENT_ID / OIDC_CLIENT_SECRET) and still uses PKCE: a code
caught on its way back through the browser is worthless without the verifier, which never leaves here.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

SCOPES = "openid email profile"
METADATA_TTL_S = 300.0  # keys rotate: the provider's documents are read again after five minutes
ROLE_ORDER = ("admin", "staff", "clinician")  # a person with several roles signs in with the widest


class SignInRefused(Exception):
    """The provider or the person's claims do not allow a staff session; `code` is shown to the person."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(detail or code)
        self.code = code


@dataclass(frozen=True)
class Flow:
    """What the gateway remembers between sending the browser to the provider and its coming back."""

    state: str
    nonce: str
    verifier: str
    redirect_uri: str


@dataclass(frozen=True)
class Identity:
    sub: str  # what the API's audit trail will name: the email when the provider gives one, else its sub
    name: str
    role: str
    provider_id: str | None


def role_from_claims(claims: dict, role_claim: str, provider_claim: str) -> tuple[str, str | None]:
    """(role, provider id) from the ID token's claims; a string or a list of roles; refused without one."""
    raw = claims.get(role_claim)
    values = {raw} if isinstance(raw, str) else {v for v in raw if isinstance(v, str)} if isinstance(raw, list) else set()
    role = next((r for r in ROLE_ORDER if r in values), None)
    if role is None:
        raise SignInRefused("no-role", f"the '{role_claim}' claim names no clinic role")
    provider_id = claims.get(provider_claim) if role == "clinician" else None
    if role == "clinician" and not (isinstance(provider_id, str) and provider_id):
        raise SignInRefused("no-provider", f"a clinician needs the '{provider_claim}' claim")
    return role, provider_id


class OidcClient:
    def __init__(self, issuer: str, client_id: str, client_secret: str, timeout: tuple[float, float]):
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret
        self.timeout = timeout
        self._cached: tuple[float, dict, KeySet] | None = None
        self._lock = threading.Lock()

    def _documents(self) -> tuple[dict, KeySet]:
        with self._lock:
            if self._cached is None or time.monotonic() - self._cached[0] > METADATA_TTL_S:
                try:
                    meta = requests.get(f"{self.issuer}/.well-known/openid-configuration", timeout=self.timeout).json()
                    if meta.get("issuer", "").rstrip("/") != self.issuer:
                        raise SignInRefused("provider", "the provider's metadata names another issuer")
                    keys = KeySet.import_key_set(requests.get(meta["jwks_uri"], timeout=self.timeout).json())
                except (requests.RequestException, ValueError, KeyError, TypeError) as exc:
                    raise SignInRefused("provider", f"the provider could not be read ({type(exc).__name__})") from None
                self._cached = (time.monotonic(), meta, keys)
            return self._cached[1], self._cached[2]

    def start(self, redirect_uri: str) -> tuple[str, Flow]:
        """The provider's authorization URL to send the browser to, and the flow to remember."""
        meta, _ = self._documents()
        flow = Flow(state=generate_token(32), nonce=generate_token(32), verifier=generate_token(64),
                    redirect_uri=redirect_uri)
        query = {"response_type": "code", "client_id": self.client_id, "redirect_uri": redirect_uri,
                 "scope": SCOPES, "state": flow.state, "nonce": flow.nonce,
                 "code_challenge": create_s256_code_challenge(flow.verifier), "code_challenge_method": "S256"}
        return f"{meta['authorization_endpoint']}?{urlencode(query)}", flow

    def finish(self, flow: Flow, code: str) -> dict:
        """Trade the code (with the PKCE verifier) for tokens; the verified ID token's claims."""
        meta, keys = self._documents()
        # Without a secret the gateway is a public client, and PKCE alone binds the code to this flow.
        method = "client_secret_basic" if self.client_secret else "none"
        with OAuth2Session(self.client_id, self.client_secret or None, redirect_uri=flow.redirect_uri,
                           token_endpoint_auth_method=method) as client:
            try:
                token = client.fetch_token(meta["token_endpoint"], code=code, code_verifier=flow.verifier,
                                           timeout=self.timeout)
            except Exception as exc:  # Authlib's OAuthError, a refused or failed request: sign-in fails
                raise SignInRefused("token", f"the code was not accepted ({type(exc).__name__})") from None
        return self.verified_claims(token.get("id_token"), flow.nonce, keys)

    def verified_claims(self, id_token: str | None, nonce: str, keys: KeySet) -> dict:
        if not id_token:
            raise SignInRefused("token", "the provider sent no ID token")
        try:
            decoded = jwt.decode(id_token, keys, algorithms=["RS256", "ES256", "PS256"])
            jwt.JWTClaimsRegistry(leeway=60, iss={"essential": True, "value": self.issuer},
                                  aud={"essential": True, "value": self.client_id},
                                  nonce={"essential": True, "value": nonce}, sub={"essential": True},
                                  exp={"essential": True}).validate(decoded.claims)
        except (JoseError, ValueError) as exc:
            raise SignInRefused("token", f"the ID token did not verify ({type(exc).__name__})") from None
        return decoded.claims


def identity_from(claims: dict, role_claim: str, provider_claim: str) -> Identity:
    role, provider_id = role_from_claims(claims, role_claim, provider_claim)
    email = claims.get("email")
    # An address the provider says it has not verified could name anyone: then the stable `sub` instead.
    usable = isinstance(email, str) and email and claims.get("email_verified") is not False
    sub = email if usable else str(claims["sub"])
    name = claims.get("name") if isinstance(claims.get("name"), str) else sub
    return Identity(sub=sub, name=name, role=role, provider_id=provider_id)
