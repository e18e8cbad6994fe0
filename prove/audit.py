"""The pass figures, read from what really got stored and what really reached the inbox.

- lost: a booking that got 201 but is missing or not in the status it should have afterwards, or a confirmed one
  whose confirmation email never reached the sink;
- duplicated: emails about one booking and kind with different Message-IDs (a mail system would deliver each);
  copies with the same Message-ID are counted apart as `repeats` (a mail system drops them);
- double-booked: pairs of active bookings of one provider whose visits overlap, read from the bookings database
  directly (not through the API that might be the thing that is wrong).

Beside them, two harms the figures would miss, reported as failures: one request (one patient address) stored as
two bookings, and a booking stored for a request whose client never heard 201 (a slot taken, a patient unaware).
"""
from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass

from pymongo import MongoClient

from prove.clients import Booked
from prove.mail import Mail

ENDED = ("cancelled", "no_show")
MAIL_WAIT_S = 60.0


@dataclass
class Figures:
    lost: int
    duplicated: int
    repeats: int
    double_booked: int
    evidence: list[str]


def stored_bookings(stack) -> dict[str, dict]:
    client = MongoClient(stack.direct_mongo_url, tz_aware=True, serverSelectionTimeoutMS=5000)
    try:
        projection = {"status": 1, "provider_id": 1, "start": 1, "end": 1, "patient.email": 1}
        return {doc["_id"]: doc for doc in client[f"{stack.prefix}_bookings"]["bookings"].find({}, projection)}
    finally:
        client.close()


def mails_by_booking(stack, accepted: list[Booked]) -> dict[str, list[Mail]]:
    by_address = {b.body["patient"]["email"].lower(): b.booking["id"] for b in accepted}
    grouped = defaultdict(list)
    for mail in stack.sink.mails():
        booking_id = mail.booking_id or by_address.get(mail.to)
        grouped[booking_id].append(mail)
    return grouped


def wait_for_confirmations(stack, accepted: list[Booked], limit_s: float = MAIL_WAIT_S) -> None:
    wanted = {b.booking["id"] for b in accepted}
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        mails = mails_by_booking(stack, accepted)
        if all(any(m.kind == "confirmation" for m in mails.get(b, [])) for b in wanted):
            return
        time.sleep(0.5)


def figures(stack, booked: list[Booked], cancelled: set[str] = frozenset(), wait: bool = True) -> Figures:
    accepted = [b for b in booked if b.status == 201]
    if wait:
        wait_for_confirmations(stack, accepted)
    stored, mails = stored_bookings(stack), mails_by_booking(stack, accepted)
    evidence = per_request(stored.values(), booked)
    lost = 0
    for booked in accepted:
        booking_id = booked.booking["id"]
        want = "cancelled" if booking_id in cancelled else "confirmed"
        doc = stored.get(booking_id)
        got_mail = any(m.kind == "confirmation" for m in mails.get(booking_id, []))
        if doc is None or doc["status"] != want or not got_mail:
            lost += 1
            evidence.append(f"lost {booking_id}: stored={doc and doc['status']} confirmation_email={got_mail}")
    duplicated, repeats = 0, 0
    for booking_id, found in mails.items():
        by_kind = defaultdict(list)
        for mail in found:
            by_kind[mail.kind].append(mail.message_id)
        for kind, ids in by_kind.items():
            duplicated += len(set(ids)) - 1
            repeats += len(ids) - len(set(ids))
            if len(set(ids)) > 1:
                evidence.append(f"duplicated {booking_id} {kind}: {len(set(ids))} Message-IDs")
    overlaps = double_booked(stored.values())
    evidence += [f"double-booked {a} and {b} ({provider})" for provider, a, b in overlaps[:5]]
    return Figures(lost, duplicated, repeats, len(overlaps), evidence)


def per_request(docs, booked: list[Booked]) -> list[str]:
    by_address = defaultdict(list)
    for doc in docs:
        by_address[((doc.get("patient") or {}).get("email") or "").lower()].append(doc["_id"])
    found = []
    for request in booked:
        ids = by_address.get(request.body["patient"]["email"].lower(), [])
        if len(ids) > 1:
            found.append(f"one request stored as {len(ids)} bookings: {ids}")
        elif ids and request.status != 201:
            found.append(f"booking {ids[0]} stored, but its client heard {request.status} after {request.attempts} tries")
    return found


def double_booked(docs) -> list[tuple[str, str, str]]:
    by_provider = defaultdict(list)
    for doc in docs:
        if doc.get("status") not in ENDED:
            by_provider[doc["provider_id"]].append(doc)
    pairs = []
    for provider, active in by_provider.items():
        active.sort(key=lambda doc: doc["start"])
        for n, first in enumerate(active):
            for second in active[n + 1:]:
                if second["start"] >= first["end"]:
                    break
                pairs.append((provider, first["_id"], second["_id"]))
    return pairs
