"""The history an entry keeps of its offers (domain/waitlist_offers.py)."""
from datetime import datetime, timezone

import pytest

from bookings.domain.waitlist_offers import PAST_OFFERS_KEPT, ended_offers

AT = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
OFFER = {"id": "o1", "provider_id": "hannah", "start": AT, "end": AT, "blocked_until": AT, "timezone": "America/Chicago"}


@pytest.mark.parametrize("outcome", ["declined", "expired", "withdrawn", "accepted"])
def test_the_live_offer_is_kept_with_how_and_when_it_ended(outcome):
    [past] = ended_offers({"offer": OFFER, "past_offers": []}, outcome, AT)
    assert past == {"id": "o1", "provider_id": "hannah", "start": AT, "end": AT, "timezone": "America/Chicago",
                    "outcome": outcome, "ended_at": AT}


def test_no_live_offer_keeps_the_history_as_it_is_and_an_old_entry_has_none():
    assert ended_offers({"offer": None, "past_offers": [{"id": "o0"}]}, "withdrawn", AT) == [{"id": "o0"}]
    assert ended_offers({"offer": None}, "withdrawn", AT) == []


def test_only_the_newest_are_kept_oldest_first():
    doc = {"offer": OFFER, "past_offers": [{"id": f"p{i}"} for i in range(PAST_OFFERS_KEPT)]}
    kept = ended_offers(doc, "declined", AT)
    assert len(kept) == PAST_OFFERS_KEPT and kept[0]["id"] == "p1" and kept[-1]["id"] == "o1"


def test_an_unknown_outcome_is_a_bug_not_a_record():
    with pytest.raises(ValueError):
        ended_offers({"offer": OFFER}, "lost", AT)
