"""Idempotency-Key for creating POSTs: a repeat with the same key and body gets the original
result (even while the first is still running), the same key with another body gets 422.

What is stored per key, for 24 hours: a hash of the key (never the key), a hash of the body,
and the original response. A one-time secret in that response (the booking's manage token)
is sealed with a key derived from the client's Idempotency-Key, so the datastore alone
cannot reveal it; only the client that holds the key can get it replayed.
"""
from __future__ import annotations

import base64
import hashlib
import json
import time
import uuid
from datetime import datetime, timedelta, timezone
from typing import Callable

from cryptography.fernet import Fernet
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from clinic_common.errors import Conflict, DomainError, Unprocessable

COLLECTION = "idempotency_keys"
KEEP = timedelta(hours=24)
WAIT_S, POLL_S = 10.0, 0.05
PENDING, DONE, UNKNOWN = "pending", "done", "unknown"
RESUMED = "resumed"  # set in the attempt handed to `produce` when it resumes an earlier call's attempt


def body_hash(body) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":"), default=str).encode()).hexdigest()


def _record_id(scope: str, key: str) -> str:
    return f"{scope}:{hashlib.sha256(key.encode()).hexdigest()}"


def _fernet(key: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(b"clinic-idempotency-v1:" + key.encode()).digest()))


def valid_key(key: str) -> bool:
    return 1 <= len(key) <= 255 and key.isprintable()


class IdempotencyStore:
    def __init__(self, db: Database):
        self._coll = db[COLLECTION]

    def ensure_indexes(self) -> None:
        self._coll.create_index("created_at", expireAfterSeconds=int(KEEP.total_seconds()))

    def run(self, scope: str, key: str | None, body, produce: Callable[[dict], tuple[int, dict]],
            secret_field: str | None = None, attempt: dict | None = None) -> tuple[int, dict, bool]:
        """(status, body, replayed). `produce(attempt)` does the work; the refusals (4xx) it raises are remembered.

        `attempt` holds what makes `produce` repeatable (the new resource's id, its one-time token).
        It is kept, sealed, with the key: when the first try's outcome is unknown (it failed after
        perhaps committing, or its process died), a retry with the same key runs `produce` again with
        the same attempt, which finds what the first try stored instead of making a second one.
        """
        attempt = attempt or {}
        if key is None:
            status, result = produce(attempt)
            return status, result, False
        if not valid_key(key):
            raise Unprocessable("Idempotency-Key must be 1 to 255 printable characters.",
                                {"Idempotency-Key": ["1 to 255 printable characters"]})
        record_id, fingerprint, owner = _record_id(scope, key), body_hash(body), uuid.uuid4().hex
        existing = self._claim(record_id, fingerprint, owner, _seal_json(attempt, key))
        if existing is not None:
            replay, attempt = self._replay_or_take_over(record_id, existing, fingerprint, key, secret_field, owner)
            if replay is not None:
                return replay
        return self._produce(record_id, owner, key, attempt, produce, secret_field)

    def _produce(self, record_id: str, owner: str, key: str, attempt: dict, produce, secret_field):
        try:
            status, result = produce(attempt)
        except DomainError as refusal:
            if refusal.status >= 500:
                # Not an answer to the request (a service it needs was away): a retry with the key tries again.
                self._set_unknown(record_id, owner)
                raise
            self._finish(record_id, owner, refusal.status,
                         {"refusal": [refusal.slug, refusal.title, refusal.detail, refusal.errors]})
            raise
        except BaseException:
            # The outcome is unknown (it may have committed): keep the key, so a retry resumes this attempt.
            self._set_unknown(record_id, owner)
            raise
        self._finish(record_id, owner, status, _sealed(result, key, secret_field))
        return status, result, False

    def _claim(self, record_id: str, fingerprint: str, owner: str, sealed_attempt: str) -> dict | None:
        """None when this call owns the key now; else the record some earlier call left."""
        for _ in range(3):
            now = datetime.now(timezone.utc)
            try:
                self._coll.insert_one({"_id": record_id, "body_hash": fingerprint, "state": PENDING, "owner": owner,
                                       "attempt": sealed_attempt, "created_at": now})
                return None
            except DuplicateKeyError:
                existing = self._coll.find_one({"_id": record_id})
            if existing is not None and existing["created_at"] >= now - KEEP:
                return existing
            if existing is not None:  # expired; the TTL monitor has not removed it yet
                self._coll.delete_one({"_id": record_id, "created_at": existing["created_at"]})
        raise Conflict("This Idempotency-Key is being reused right now; retry shortly.")

    def _replay_or_take_over(self, record_id: str, record: dict, fingerprint: str, key: str, secret_field,
                             owner: str) -> tuple[tuple | None, dict]:
        """(replayed answer, None), or (None, the attempt to resume) once this call owns the key."""
        if record["body_hash"] != fingerprint:
            raise Unprocessable("This Idempotency-Key was used with a different request body.",
                                {"Idempotency-Key": ["already used with another body"]})
        deadline = time.monotonic() + WAIT_S
        while record["state"] == PENDING and time.monotonic() < deadline:
            time.sleep(POLL_S)  # the first request with this key is still at work
            record = self._coll.find_one({"_id": record_id}) or record
        if record["state"] == DONE:
            return self._replay(record, key, secret_field), {}
        # Unknown, or still pending after the wait (its process may have died): resume its attempt.
        # Resuming while it still runs is safe too: both use the same ids, and one stored resource.
        taken = self._coll.update_one({"_id": record_id, "state": record["state"], "owner": record.get("owner")},
                                      {"$set": {"state": PENDING, "owner": owner}})
        if not taken.matched_count:
            raise Conflict("A request with this Idempotency-Key is still in progress; retry shortly.")
        return None, {**_unseal_json(record.get("attempt"), key), RESUMED: True}

    @staticmethod
    def _replay(record: dict, key: str, secret_field) -> tuple[int, dict, bool]:
        if "refusal" in record["response"]:
            slug, title, detail, errors = record["response"]["refusal"]
            raise _remembered(record["status"], slug, title, detail, errors)
        return record["status"], _unsealed(record["response"], key, secret_field), True

    def _finish(self, record_id: str, owner: str, status: int, response: dict) -> None:
        self._coll.update_one({"_id": record_id, "owner": owner},
                              {"$set": {"state": DONE, "status": status, "response": response}})

    def _set_unknown(self, record_id: str, owner: str) -> None:
        try:
            self._coll.update_one({"_id": record_id, "owner": owner}, {"$set": {"state": UNKNOWN}})
        except Exception:  # the datastore is away: the record stays pending, and a retry resumes it after the wait
            pass


def _seal_json(value: dict, key: str) -> str:
    return _fernet(key).encrypt(json.dumps(value).encode()).decode()


def _unseal_json(sealed: str | None, key: str) -> dict:
    return json.loads(_fernet(key).decrypt(sealed.encode())) if sealed else {}


def _sealed(result: dict, key: str, field: str | None) -> dict:
    if not field or field not in result:
        return {"body": result}
    body = {k: v for k, v in result.items() if k != field}
    return {"body": body, "sealed": _fernet(key).encrypt(result[field].encode()).decode(), "field": field}


def _unsealed(response: dict, key: str, field: str | None) -> dict:
    body = dict(response["body"])
    if response.get("sealed"):
        body[response["field"]] = _fernet(key).decrypt(response["sealed"].encode()).decode()
    return body


def _remembered(status: int, slug: str, title: str, detail: str, errors) -> DomainError:
    error = DomainError(detail, errors)
    error.status, error.slug, error.title = status, slug, title
    return error
