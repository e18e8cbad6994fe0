"""What an entry keeps of the offers it had: each offer that ended, with how and when. Pure.

Staff judge a waitlist by its history as much as by its live offer ("offered twice, let both run out"),
and the live `offer` is cleared when it ends; so the ending offer is kept, newest last, at most
PAST_OFFERS_KEPT of them (an entry that declines every week stays a small document).
"""
from __future__ import annotations

from datetime import datetime

DECLINED, RAN_OUT, WITHDRAWN_WITH, ACCEPTED = "declined", "expired", "withdrawn", "accepted"
OUTCOMES = (DECLINED, RAN_OUT, WITHDRAWN_WITH, ACCEPTED)
PAST_OFFERS_KEPT = 20
NOT_KEPT = ("blocked_until",)  # the ledger's business, not the history's


def ended_offers(doc: dict, outcome: str, at: datetime) -> list[dict]:
    """The entry's past offers with its live offer (if any) added as ended by `outcome` at `at`."""
    if outcome not in OUTCOMES:
        raise ValueError(f"not an offer's outcome: {outcome}")
    past = list(doc.get("past_offers") or [])
    offer = doc.get("offer")
    if offer:
        past.append({**{k: v for k, v in offer.items() if k not in NOT_KEPT}, "outcome": outcome, "ended_at": at})
    return past[-PAST_OFFERS_KEPT:]
