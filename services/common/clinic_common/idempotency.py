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
from datetime import datetime, timedelta, timezone
from typing import Callable

from cryptography.fernet import Fernet
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from clinic_common.errors import Conflict, DomainError, Unprocessable

COLLECTION = "idempotency_keys"
KEEP = timedelta(hours=24)
ABANDONED_AFTER = timedelta(seconds=60)
WAIT_S, POLL_S = 10.0, 0.05


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

    def run(self, scope: str, key: str | None, body, produce: Callable[[], tuple[int, dict]],
            secret_field: str | None = None) -> tuple[int, dict, bool]:
        """(status, body, replayed). `produce` does the work; DomainErrors it raises are remembered too."""
        if key is None:
            status, result = produce()
            return status, result, False
        if not valid_key(key):
            raise Unprocessable("Idempotency-Key must be 1 to 255 printable characters.",
                                {"Idempotency-Key": ["1 to 255 printable characters"]})
        record_id, fingerprint = _record_id(scope, key), body_hash(body)
        existing = self._claim(record_id, fingerprint)
        if existing is not None:
            return self._replay(record_id, existing, fingerprint, key, secret_field)
        try:
            status, result = produce()
        except DomainError as refusal:
            self._finish(record_id, refusal.status, {"refusal": [refusal.slug, refusal.title, refusal.detail, refusal.errors]})
            raise
        except BaseException:
            self._coll.delete_one({"_id": record_id, "state": "pending"})  # let the client try again
            raise
        self._finish(record_id, status, _sealed(result, key, secret_field))
        return status, result, False

    def _claim(self, record_id: str, fingerprint: str) -> dict | None:
        """None when this call owns the key now; else the record some earlier call left."""
        for _ in range(3):
            now = datetime.now(timezone.utc)
            try:
                self._coll.insert_one({"_id": record_id, "body_hash": fingerprint, "state": "pending", "created_at": now})
                return None
            except DuplicateKeyError:
                existing = self._coll.find_one({"_id": record_id})
            if existing is not None and existing["created_at"] >= now - KEEP:
                return existing
            if existing is not None:  # expired; the TTL monitor has not removed it yet
                self._coll.delete_one({"_id": record_id, "created_at": existing["created_at"]})
        raise Conflict("This Idempotency-Key is being reused right now; retry shortly.")

    def _replay(self, record_id: str, record: dict, fingerprint: str, key: str, secret_field) -> tuple[int, dict, bool]:
        if record["body_hash"] != fingerprint:
            raise Unprocessable("This Idempotency-Key was used with a different request body.",
                                {"Idempotency-Key": ["already used with another body"]})
        deadline = time.monotonic() + WAIT_S
        while record["state"] == "pending" and time.monotonic() < deadline:
            time.sleep(POLL_S)  # the first request with this key is still at work
            record = self._coll.find_one({"_id": record_id}) or record
        if record["state"] == "pending":
            raise Conflict("A request with this Idempotency-Key is still in progress; retry shortly.")
        if "refusal" in record["response"]:
            slug, title, detail, errors = record["response"]["refusal"]
            raise _remembered(record["status"], slug, title, detail, errors)
        return record["status"], _unsealed(record["response"], key, secret_field), True

    def _finish(self, record_id: str, status: int, response: dict) -> None:
        self._coll.update_one({"_id": record_id}, {"$set": {"state": "done", "status": status, "response": response}})


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
