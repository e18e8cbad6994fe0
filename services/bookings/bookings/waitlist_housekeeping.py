"""The waitlist's background work, in the bookings worker (freed slots, as events say so) and the
bookings relay's housekeeping (the schedule of offers' expiry, and rescans).

- booking.cancelled: its slot is offered to the longest-waiting match (three datastore commands).
- booking.rescheduled (the slot it left is not in the event), location.*, provider.*, service.*: the
  service and location are rescanned (free slots over the next fortnight offered to those waiting).
- every few seconds (relay): offers past their `expires_at` run out (each with one compare-and-set, so
  an accept and the sweep never both win; correct across restarts: the due times live in MongoDB) and
  their slot goes to the next match; entries past `until` end; an accept whose request died half-way
  is finished or undone; and every RESCAN_S every service and location somebody waits for is rescanned,
  which offers time freed without an event (a hold that ran out unused, new hours).
"""
from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta, timezone
from typing import Callable

from clinic_common.http import timeout_from
from clinic_common.logs import log_failure

from bookings.adapters.provider_traits import ProviderTraitsSource
from bookings.adapters.schedules import ScheduleSource
from bookings.config import BookingSettings, booking_policy
from bookings.domain.waitlist import OFFERED
from bookings.store.bookings import BookingRepository
from bookings.store.epoch import ScheduleEpoch
from bookings.store.holds import HoldRepository
from bookings.store.ledger import Ledger
from bookings.store.waitlist import WaitlistRepository
from bookings.waitlist_operations import (WaitlistDeps, end_entry, finish_accept, offer_freed, ran_out, rescan,
                                          slot_from_booking)

log = logging.getLogger(__name__)
ACCEPT_GRACE = timedelta(seconds=60)  # longer than any accept request takes
RESCAN_S = 60.0


def waitlist_deps(db, settings: BookingSettings, clock: Callable[[], datetime] | None = None,
                  fast=None) -> WaitlistDeps:
    """The waitlist's stores and adapters outside a web request (`fast`: a FastPath's attach, or None)."""
    clock = clock or (lambda: datetime.now(timezone.utc))
    timeout = timeout_from(settings)
    waitlist = WaitlistRepository.connect(db)
    if fast is not None:
        waitlist = fast(waitlist)
    return WaitlistDeps(waitlist=waitlist, ledger=Ledger(db, clock=clock), bookings=BookingRepository(db),
                        schedules=ScheduleSource(settings.service_urls["locations"], timeout, ScheduleEpoch(db)),
                        providers=ProviderTraitsSource(settings.service_urls["locations"], timeout),
                        policy=booking_policy(settings), offer_minutes=settings.offer_minutes, clock=clock)


def on_booking_event(deps: WaitlistDeps, event_type: str, data: dict) -> None:
    """A booking's event, for the waitlist: a cancellation offers its slot; a move rescans."""
    if event_type == "booking.cancelled":
        slot, shown = slot_from_booking(data)
        offer_freed(deps, slot, shown)
    elif event_type == "booking.rescheduled":
        rescan(deps, data["service_id"], data["location_id"])


def rescan_all(deps: WaitlistDeps) -> int:
    """Every (service, location) somebody is waiting for: their free time offered. Returns offers made."""
    made = 0
    for service_id, location_id in deps.waitlist.waiting_pairs():
        try:
            made += len(rescan(deps, service_id, location_id))
        except Exception as exc:  # one location's trouble must not stop the others
            log_failure(log, "waitlist rescan failed", exc)
    return made


def sweep(deps: WaitlistDeps, now: datetime | None = None) -> int:
    """Expire due offers (each slot to the next match), end entries past `until`, settle stalled accepts."""
    now = now or deps.clock()
    done = 0
    for entry in deps.waitlist.offers_due(now):
        done += ran_out(deps, entry) is not None
    for entry in deps.waitlist.ended(now.date().isoformat()):
        done += end_entry(deps, entry) is not None
    for entry in deps.waitlist.accepting_before(now - ACCEPT_GRACE):
        done += _settle_accept(deps, entry)
    return done


def _settle_accept(deps: WaitlistDeps, entry: dict) -> int:
    """An accept left half-way: its booking stored -> the entry booked; else its claim freed, the offer run out."""
    booking_id = entry["accepting"]
    if deps.bookings.get(booking_id) is not None:
        return finish_accept(deps, entry, booking_id) is not None
    offer = entry.get("offer") or {}
    if offer:
        deps.ledger.release(offer["provider_id"], booking_id)
    if entry["status"] == OFFERED:
        return ran_out(deps, entry) is not None
    return 0


def holds_ended(deps: WaitlistDeps, holds, since: datetime, now: datetime) -> int:
    """Holds that ended unused in (since, now] (store/holds.py's hook): their services and locations
    rescanned, so a patient's abandoned pick reaches the waitlist within a sweep, not a full rescan."""
    pairs = dict.fromkeys((h["service_id"], h["location_id"]) for h in holds.ended_unused(since, now))
    made = 0
    for service_id, location_id in pairs:
        try:
            made += len(rescan(deps, service_id, location_id))
        except Exception as exc:
            log_failure(log, "waitlist rescan after a hold ended failed", exc)
    return made


def relay_chore(db, settings: BookingSettings | None, rescan_s: float = RESCAN_S) -> Callable[[], None]:
    """The relay's waitlist housekeeping (see relay.py); without settings (which say where locations is)
    it does nothing. After a restart, holds that ended while it was down are left to the next full rescan."""
    state = {"deps": None, "rescanned": 0.0, "holds_since": None}

    def chore() -> None:
        if settings is None:
            return
        if state["deps"] is None:
            state["deps"] = waitlist_deps(db, settings)
            state["holds"] = HoldRepository.connect(db)
        deps = state["deps"]
        now = deps.clock()
        sweep(deps, now)
        holds_ended(deps, state["holds"], state["holds_since"] or now - timedelta(seconds=rescan_s), now)
        state["holds_since"] = now
        if time.monotonic() - state["rescanned"] >= rescan_s:
            state["rescanned"] = time.monotonic()
            rescan_all(deps)

    return chore


def worker_fast_lane(settings: BookingSettings):
    """The worker's offers leave at once (the relay is the guarantee), as a web request's events do."""
    if not settings.outbox_fast_path:
        return None
    from clinic_common.messaging.fastpath import FastPath

    return FastPath(settings).attach
