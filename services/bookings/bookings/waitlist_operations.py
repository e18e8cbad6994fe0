"""What the waitlist does, step by step: join, offer a freed slot to the longest-waiting match, accept,
decline, withdraw, and let an offer run out (waitlist_housekeeping.py runs the last on a schedule).

An offer is two writes, in this order: the slot is held in the provider's ledger for OFFER_MINUTES
under the offer's id (the same datastore-enforced rule as every booking: while the hold lives, nobody
else can book or hold that time), then the entry becomes `offered` with its `waitlist.offered` event by
one compare-and-set on the entry's version (and only if that slot was never offered to it). A hold whose
entry write lost is let go at once; one whose process died runs out on its own.

Matching a freed slot costs three datastore commands whatever the list's length: the candidates (one
indexed query), the hold, the offer (domain/waitlist.py decides in memory).
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Callable
from zoneinfo import ZoneInfo

from bookings import operations
from bookings.domain.availability import covering_span, free_slots
from bookings.domain.booking import blocked, booking_document, new_booking_id
from bookings.domain.errors import BookingsRefusal, ChangedMeanwhile, RequestInvalid, TransitionNotAllowed
from bookings.domain.requests import check_catalog
from bookings.domain.slots import Policy, Span
from bookings.domain.tokens import hash_token, new_manage_token
from bookings.domain.waitlist_offers import ACCEPTED, DECLINED, RAN_OUT, WITHDRAWN_WITH, ended_offers
from bookings.domain.waitlist import (BOOKED, ENTRY_ENDED, EXPIRED, LIVE, OFFER_RAN_OUT, OFFERED, TELEHEALTH, WAITING,
                                      WITHDRAWN, FreedSlot, WaitlistInvalid, assign, check_until, entry_from, longest_waiting,
                                      offer_expiry, slot_key)

log = logging.getLogger(__name__)
JOINED, OFFERED_EVENT, BOOKED_EVENT, EXPIRED_EVENT = "waitlist.joined", "waitlist.offered", "waitlist.booked", \
    "waitlist.expired"
RESCAN_DAYS = 14  # a rescan looks this far ahead for free time to offer
RESCAN_SLOTS = 400  # and considers at most this many free slots per service and location


class OfferGone(BookingsRefusal):
    """No live offer with that id for this entry (expired, declined, someone else's): shown as the 404 of a
    wrong token, so a guess learns nothing."""


@dataclass
class WaitlistDeps:
    waitlist: object
    ledger: object
    bookings: object
    schedules: object
    providers: object  # ProviderTraitsSource: languages and licences
    policy: Policy
    offer_minutes: float = 15.0
    clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)
    catalog: object = None
    provider_records: object = None


# ---- join, read, withdraw -------------------------------------------------------------------------------

def join(deps: WaitlistDeps, body: dict, entry_id: str, token: str) -> dict:
    """A new entry, waiting; the patient's `waitlist.joined` in the same write. Unknown ids are refused (422)."""
    now = deps.clock()
    try:
        check_until(body["until"], now.date())
    except WaitlistInvalid as exc:
        raise RequestInvalid("The waitlist entry cannot be accepted.", exc.errors) from None
    patient = dict(body["patient"])
    doc = {"_id": entry_id, "status": WAITING, "patient": patient, "service_id": body["service_id"],
           "modality": body["modality"], "location_ids": list(dict.fromkeys(body["location_ids"])),
           "provider_id": body.get("provider_id"), "language": body.get("language"),
           "patient_state": body.get("patient_state") or patient["state"],
           "windows": [{"days": w["days"], "from": w["from_"], "to": w["to"]} for w in body.get("windows") or []],
           "until": body["until"].isoformat(), "joined_at": now, "joined_seq": time.time_ns(), "offer": None, "past_offers": [], "offered_keys": [],
           "booking_id": None, "reason": None, "accepting": None, "manage_token_hash": hash_token(token)}
    if deps.catalog is not None:
        check_catalog(doc, *deps.catalog.lookup(doc["service_id"], doc["location_ids"]))
    if doc["provider_id"] and deps.provider_records is not None and deps.provider_records.record(
            doc["provider_id"]) is None:
        raise RequestInvalid("Unknown provider.", {"provider_id": ["no such provider"]})
    return deps.waitlist.create(doc, event_type=JOINED)


def withdraw(deps: WaitlistDeps, current: dict) -> dict:
    """waiting / offered -> withdrawn; a live offer's slot goes to the next match."""
    if current["status"] not in LIVE:
        raise TransitionNotAllowed(f"A {current['status']} waitlist entry cannot be withdrawn.")
    changed = deps.waitlist.replace_quietly(current, {**current, "status": WITHDRAWN, "offer": None,
                                                      "past_offers": ended_offers(current, WITHDRAWN_WITH, deps.clock())})
    if changed is None:
        raise ChangedMeanwhile("The entry changed meanwhile; read it and try again.")
    _pass_on(deps, current.get("offer"))
    return changed


# ---- offers ----------------------------------------------------------------------------------------------

def slot_from_booking(data: dict) -> tuple[FreedSlot, dict]:
    """A booking.cancelled event's slot, and what an offer shows of it (the booking's snapshots)."""
    start, end = datetime.fromisoformat(data["start"]), datetime.fromisoformat(data["end"])
    service = data.get("service") or {}
    step = timedelta(minutes=(service.get("duration_minutes") or 0) + (service.get("buffer_minutes") or 0))
    zone = (data.get("location") or {}).get("timezone") or str(start.tzinfo)
    slot = FreedSlot(data["provider_id"], data["location_id"], data["service_id"], data["modality"],
                     start.astimezone(timezone.utc), end.astimezone(timezone.utc),
                     (start + max(step, end - start)).astimezone(timezone.utc), zone)
    return slot, {k: data.get(k) for k in ("service", "provider", "location")}


def offer_freed(deps: WaitlistDeps, slot: FreedSlot, shown: dict) -> dict | None:
    """Offer one freed slot to the longest-waiting entry it suits: the entry offered, or None."""
    now = deps.clock()
    if not _bookable(deps, slot, now):
        return None
    provider = deps.providers.traits(slot.provider_id)
    local_day = slot.start.astimezone(ZoneInfo(slot.timezone)).date()
    docs = deps.waitlist.candidates(
        slot.service_id, slot.location_id, slot.modality, slot.provider_id, local_day.isoformat(),
        sorted(provider.languages) if provider else [],
        sorted(provider.licensed_states) if (provider and slot.modality == TELEHEALTH) else None)
    by_id = {doc["_id"]: doc for doc in docs}
    ranked = longest_waiting([entry_from(doc) for doc in docs], slot, provider, _today(now, slot.timezone))
    if not ranked:
        return None
    offer_id, expires_at = new_booking_id(), offer_expiry(now, deps.offer_minutes)
    if not deps.ledger.claim(slot.provider_id, offer_id, Span(slot.start, slot.blocked_until), expires_at=expires_at):
        return None  # someone booked or holds the time already
    for entry in ranked:
        offered = _make_offer(deps, by_id[entry.id], slot, shown, offer_id, expires_at)
        if offered is not None:
            return offered
    deps.ledger.release_hold(slot.provider_id, offer_id)
    return None


def offer_slots(deps: WaitlistDeps, slots: list[FreedSlot], shown: dict[str, dict], docs: list[dict]) -> list[dict]:
    """Several free slots at once (a rescan): each to a different entry, longest-waiting first."""
    now = deps.clock()
    slots = [s for s in slots if _bookable(deps, s, now)]
    if not slots or not docs:
        return []
    providers = {pid: deps.providers.traits(pid) for pid in {s.provider_id for s in slots}}
    by_id = {doc["_id"]: doc for doc in docs}
    pairs = assign([entry_from(doc) for doc in docs], slots, {k: v for k, v in providers.items() if v},
                   _today(now, slots[0].timezone))
    made = []
    for entry, slot in pairs:
        offer_id, expires_at = new_booking_id(), offer_expiry(now, deps.offer_minutes)
        if not deps.ledger.claim(slot.provider_id, offer_id, Span(slot.start, slot.blocked_until),
                                 expires_at=expires_at):
            continue
        offered = _make_offer(deps, by_id[entry.id], slot, shown.get(slot_key(slot), {}), offer_id, expires_at)
        if offered is None:
            deps.ledger.release_hold(slot.provider_id, offer_id)
        else:
            made.append(offered)
    return made


def _make_offer(deps: WaitlistDeps, doc: dict, slot: FreedSlot, shown: dict, offer_id: str,
                expires_at: datetime) -> dict | None:
    offer = {"id": offer_id, "provider_id": slot.provider_id, "location_id": slot.location_id,
             "service_id": slot.service_id, "modality": slot.modality, "start": slot.start, "end": slot.end,
             "blocked_until": slot.blocked_until, "expires_at": expires_at, "timezone": slot.timezone, **shown}
    new = {**doc, "status": OFFERED, "offer": offer, "reason": None,
           "offered_keys": [*doc.get("offered_keys", []), slot_key(slot)]}
    return deps.waitlist.replace_if_unchanged(doc, new, OFFERED_EVENT)


def _bookable(deps: WaitlistDeps, slot: FreedSlot, now: datetime) -> bool:
    return now + deps.policy.min_notice <= slot.start < now + deps.policy.horizon


def _today(now: datetime, zone: str) -> date:
    return now.astimezone(ZoneInfo(zone)).date()


def live_offer(current: dict, offer_id: str, now: datetime) -> dict:
    """The entry's offer with that id, if it still lives and no accept is finishing it; else OfferGone."""
    offer = current.get("offer") or {}
    if (current["status"] != OFFERED or offer.get("id") != offer_id or offer["expires_at"] <= now
            or current.get("accepting")):
        raise OfferGone("No such offer is open for you.")
    return offer


def accept(deps: WaitlistDeps, current: dict, offer_id: str) -> tuple[dict, str]:
    """Book the offered slot: (booking, its manage token). OfferGone when the offer is not live.

    The entry is marked `accepting` first (a compare-and-set the expiry sweep cannot pass), then the
    held span becomes the booking's (claim_held), then the booking is stored, then the entry `booked` with
    `waitlist.booked`. A request that dies half-way is finished or undone by the housekeeping."""
    offer = live_offer(current, offer_id, deps.clock())
    token, token_hash = new_manage_token()
    booking_id = new_booking_id()
    patient = dict(current["patient"])
    request = {"service_id": offer["service_id"], "provider_id": offer["provider_id"],
               "location_id": offer["location_id"], "start": offer["start"], "patient": patient}
    schedule = operations._schedule_for(deps, offer["location_id"], offer["service_id"], offer["provider_id"],
                                        offer["start"], current.get("patient_state") or patient["state"])
    doc = {**booking_document(request, schedule, booking_id=booking_id, token_hash=token_hash),
           "waitlist_id": current["_id"]}
    marked = deps.waitlist.replace_quietly(current, {**current, "accepting": booking_id})
    if marked is None:
        raise OfferGone("No such offer is open for you.")
    if not deps.ledger.claim_held(offer["provider_id"], booking_id, blocked(doc), offer_id):
        ran_out(deps, marked)  # the hold ran out meanwhile: as if the sweep had come first
        raise OfferGone("No such offer is open for you.")
    booking = deps.bookings.create(doc, event_type=f"booking.{doc['status']}")
    finish_accept(deps, marked, booking_id)
    return booking, token


def finish_accept(deps: WaitlistDeps, marked: dict, booking_id: str) -> dict | None:
    return deps.waitlist.replace_if_unchanged(
        marked, {**marked, "status": BOOKED, "booking_id": booking_id, "accepting": None,
                 "past_offers": ended_offers(marked, ACCEPTED, deps.clock())}, BOOKED_EVENT)


def decline(deps: WaitlistDeps, current: dict, offer_id: str) -> dict:
    """The patient lets the offer go: the entry waits again (that slot is never offered to it again) and
    the slot goes to the next match at once."""
    offer = live_offer(current, offer_id, deps.clock())
    changed = deps.waitlist.replace_quietly(current, {**current, "status": WAITING, "offer": None,
                                                      "past_offers": ended_offers(current, DECLINED, deps.clock())})
    if changed is None:
        raise OfferGone("No such offer is open for you.")
    _pass_on(deps, offer)
    return changed


def ran_out(deps: WaitlistDeps, current: dict) -> dict | None:
    """An offer that expired: the entry waits again (or ends, past its `until`) with `waitlist.expired`,
    the hold goes, and the slot goes to the next match. None when the entry changed meanwhile."""
    offer = current["offer"]
    ended = date.fromisoformat(current["until"]) < _today(deps.clock(), offer["timezone"])
    new = {**current, "status": EXPIRED if ended else WAITING, "offer": None, "accepting": None,
           "reason": ENTRY_ENDED if ended else OFFER_RAN_OUT, "expired_offer": offer["id"],
           "past_offers": ended_offers(current, RAN_OUT, deps.clock())}
    changed = deps.waitlist.replace_if_unchanged(current, new, EXPIRED_EVENT)
    if changed is not None:
        _pass_on(deps, offer)
    return changed


def end_entry(deps: WaitlistDeps, current: dict) -> dict | None:
    """A waiting entry past its `until`: expired, with `waitlist.expired` (the list entry ended)."""
    return deps.waitlist.replace_if_unchanged(current, {**current, "status": EXPIRED, "reason": ENTRY_ENDED},
                                              EXPIRED_EVENT)


def _pass_on(deps: WaitlistDeps, offer: dict | None) -> None:
    """Let an offer's hold go and offer its slot to the next match (a failure here is the sweep's to redo)."""
    if not offer:
        return
    deps.ledger.release_hold(offer["provider_id"], offer["id"])
    slot = FreedSlot(offer["provider_id"], offer["location_id"], offer["service_id"], offer["modality"],
                     offer["start"], offer["end"], offer["blocked_until"], offer["timezone"])
    try:
        offer_freed(deps, slot, {k: offer.get(k) for k in ("service", "provider", "location")})
    except Exception as exc:  # locations away, say: the periodic rescan offers it later
        log.warning("freed slot not offered on yet", extra={"error": type(exc).__name__})


# ---- rescans (new hours, moved bookings, holds that ran out unused) -------------------------------------

def rescan(deps: WaitlistDeps, service_id: str, location_id: str, days: int = RESCAN_DAYS) -> list[dict]:
    """Offer free time of one service at one location over the next `days` to those waiting for it."""
    docs = deps.waitlist.candidates(service_id, location_id, None, None, deps.clock().date().isoformat(), None, None)
    if not docs:
        return []
    made = []
    for modality, states in _groups(docs).items():
        for state in states:
            group = [d for d in docs if d["modality"] == modality and (state is None or d["patient_state"] == state)]
            made += _rescan_group(deps, service_id, location_id, days, group, state)
    return made


def _groups(docs: list[dict]) -> dict[str, set]:
    """Telehealth windows depend on where the patient is: one schedule question per state asked for."""
    groups: dict[str, set] = {}
    for doc in docs:
        groups.setdefault(doc["modality"], set()).add(doc["patient_state"] if doc["modality"] == TELEHEALTH else None)
    return groups


def _rescan_group(deps, service_id, location_id, days, docs, state) -> list[dict]:
    today = deps.clock().date()
    schedule = deps.schedules.windows(location_id, today, today + timedelta(days=days), service_id,
                                      patient_state=state)
    if schedule.modality not in {d["modality"] for d in docs}:
        return []
    span = covering_span(schedule)
    if span is None:
        return []
    busy = deps.ledger.busy([p.id for p in schedule.providers], span)
    free = free_slots(schedule, busy, deps.clock(), deps.policy)[:RESCAN_SLOTS]
    step = schedule.visit_type.cadence.step
    slots, shown = [], {}
    for found in free:
        start = datetime.fromisoformat(found.start).astimezone(timezone.utc)
        slot = FreedSlot(found.provider_id, location_id, service_id, found.modality, start,
                         datetime.fromisoformat(found.end).astimezone(timezone.utc), start + step,
                         schedule.location.timezone)
        provider = schedule.provider(found.provider_id)
        shown[slot_key(slot)] = {"service": schedule.visit_type.snapshot(), "provider": provider.snapshot(),
                                 "location": schedule.location.snapshot()}
        slots.append(slot)
    return offer_slots(deps, slots, shown, docs)
