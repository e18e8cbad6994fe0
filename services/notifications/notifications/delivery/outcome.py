"""What one delivery attempt comes to, and what is stored for it. Pure."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from notifications.domain.order import WAIT_S

SENT, RETRY, FAILED, SKIPPED, WAIT = "sent", "retry", "failed", "skipped", "wait"
MAX_DELAY_S = 3600.0


@dataclass(frozen=True)
class Outcome:
    verdict: str
    reason: str = ""


def retry_delay_s(attempts: int, base_s: float) -> float:
    """base, 2·base, 4·base … capped at an hour: a dead server is not hammered, a blip costs little."""
    return min(base_s * 2 ** max(attempts - 1, 0), MAX_DELAY_S)


def settled_fields(outcome: Outcome, attempts: int, max_attempts: int, now: datetime, base_s: float) -> dict:
    """The record's new fields. A retry past the last attempt is a failure, with the reason kept."""
    if outcome.verdict == SENT:
        return {"status": "sent", "sent_at": now, "last_error": None}
    if outcome.verdict == SKIPPED:
        return {"status": "skipped", "last_error": outcome.reason}
    if outcome.verdict == WAIT:  # not an attempt: nothing was sent
        return {"status": "pending", "attempts": attempts - 1, "next_attempt_at": now + timedelta(seconds=WAIT_S)}
    if outcome.verdict == RETRY and attempts < max_attempts:
        return {"status": "pending", "last_error": outcome.reason,
                "next_attempt_at": now + timedelta(seconds=retry_delay_s(attempts, base_s))}
    reason = outcome.reason if outcome.verdict == FAILED else f"gave up after {attempts} attempts: {outcome.reason}"
    return {"status": "failed", "last_error": reason[:500]}
