"""What each series request does, step by step (the service layer beside operations.py).

Creating a series, in this order, so that a process killed anywhere leaves nothing wrong for long:
1. the series document, `pending`, naming every occurrence's booking id and span (no event);
2. each span claimed in the provider ledger (the datastore decides races, as for one booking);
   a lost claim gives back what this request claimed;
3. the bookings, with one insert_many, each carrying `series_id` and its own booking event;
4. the series `active` with its `series.created` event, in one write.
Dying after 1 or 2 leaves claims without bookings: the reconciler frees them (its grace) and
series housekeeping marks the series failed. Dying after 3 leaves bookings without their
confirmation: housekeeping finishes the series (or, for `accept: all` with only some stored,
cancels those). A request that took longer than DEADLINE gives up before step 3, so
housekeeping (which waits longer, series_housekeeping.GRACE) never works beside a live request.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

from bookings.domain.booking import booking_document, new_booking_id
from bookings.domain.errors import ChangedMeanwhile, NotBookable, SeriesConflict, TransitionNotAllowed
from bookings.domain.lifecycle import ACTIVE as ACTIVE_BOOKING, CANCELLED as CANCELLED_BOOKING, CONFIRMED, REQUESTED
from bookings.domain.lifecycle import event_type, next_status
from bookings.domain.policy import ChangePolicy, late_change
from bookings.domain.schedule import Schedule
from bookings.domain.series import (ACTIVE, ALL, AVAILABLE, CANCELLED, CANCELLED_EVENT, CREATED_EVENT, FAILED,
                                    MAX_OCCURRENCES, Judge, Occurrence, check_first, check_until, judge_all,
                                    licensure_only, occurrence_starts, planned, required_state,
                                    series_document, with_bookings)
from bookings.domain.slots import Policy, Span
from bookings.domain.tokens import hash_token
from bookings.store.series import insert_bookings

DEADLINE_S = 10.0     # a create that has not stored its bookings by then gives up (see the module doc)


@dataclass
class Stores:
    series: object
    bookings: object
    ledger: object


@dataclass
class SeriesDeps(Stores):
    schedules: object = None
    providers: object = None      # provider records from the catalog (adapters/provider_records.py)
    policy: Policy = Policy()
    series_horizon: timedelta = timedelta(days=182)
    clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)
    change_policy: ChangePolicy = ChangePolicy()  # CANCEL_CUTOFF_HOURS (domain/policy.py)


def preview(deps: SeriesDeps, request: dict) -> tuple[Schedule, list[Occurrence]]:
    """Every occurrence judged on its own; NotBookable / SeriesInvalid for a request that could never be a series."""
    now = deps.clock()
    check_first(request["start"], now, deps.policy)
    schedule = _schedule(deps, request)
    check_until(request.get("until"), now, deps.series_horizon, schedule.location.timezone)
    starts = occurrence_starts(request["start"], schedule.location.timezone, request["every_weeks"],
                               request.get("count"), request.get("until"))
    provider_id = request["provider_id"]
    licensed = schedule.provider(provider_id) is not None or _refuse_unless_unlicensed(deps, request, schedule)
    busy = deps.ledger.busy([provider_id], Span(starts[0] - timedelta(days=7), starts[-1] + timedelta(days=8)))
    judge = Judge(schedule, provider_id, licensed, tuple(busy[provider_id]), now,
                  Policy(deps.policy.min_notice, deps.series_horizon))
    return schedule, judge_all(judge, starts)


def _schedule(deps: SeriesDeps, request: dict) -> Schedule:
    """The provider's windows from the day before the first visit to the day after the last possible one:
    one request of the schedule source, which asks locations in parts of the range it answers at once
    and caches the whole (one epoch read, one cache entry for any length of series)."""
    first = request["start"].date() - timedelta(days=1)
    last = request["until"] if request.get("until") else (
        request["start"].date() + timedelta(weeks=request["every_weeks"] * ((request.get("count") or MAX_OCCURRENCES) - 1)))
    last += timedelta(days=1)
    return deps.schedules.windows(request["location_id"], first, last, request["service_id"],
                                  provider_id=request["provider_id"], patient_state=_state(request))


def _state(request: dict) -> str | None:
    return request["patient"]["state"] if "patient" in request else request.get("patient_state")


def _refuse_unless_unlicensed(deps: SeriesDeps, request: dict, schedule: Schedule) -> bool:
    """The provider is not among those who may see this patient: `not_licensed` for each occurrence
    when licensure is the only reason, else refused as a single booking would be."""
    record = deps.providers.record(request["provider_id"])
    if licensure_only(record, request["service_id"], request["location_id"], required_state(schedule, _state(request))):
        return False
    raise NotBookable("That provider cannot see this patient for this visit here.", "provider_id",
                      "does not offer this service at this location")


def conflict_list(occurrences: list[Occurrence]) -> list[dict]:
    return [{"start": o.start.isoformat(), "reason": o.reason} for o in occurrences if o.reason]


def create(deps: SeriesDeps, request: dict, series_id: str, token: str) -> tuple[dict, list[dict], list[Occurrence]]:
    """(active series, its bookings, occurrences skipped); SeriesConflict when it cannot be booked as asked."""
    began = time.monotonic()
    schedule, occurrences = preview(deps, request)
    free = [o for o in occurrences if o.reason is None]
    skipped = [o for o in occurrences if o.reason is not None]
    if not free or (request["accept"] == ALL and skipped):
        raise SeriesConflict(_conflict_detail(request["accept"], free), {"occurrences": conflict_list(occurrences)})
    token_hash = hash_token(token)
    docs = [{**booking_document({**request, "start": o.start}, schedule, booking_id=new_booking_id(),
                                token_hash=token_hash), "series_id": series_id} for o in free]
    series = deps.series.create_pending(series_document(request, schedule, series_id=series_id,
                                                        token_hash=token_hash, occurrences=planned(docs)))
    kept = _claim_all(deps, series, docs, request["accept"])
    if time.monotonic() - began > DEADLINE_S:
        _give_up(deps, series, kept)
        raise ChangedMeanwhile("Booking the series took too long; nothing was booked. Please try again.")
    stored = insert_bookings(deps.bookings, kept, lambda doc: f"booking.{doc['status']}")
    lost = [o for o in free if o.start not in {d["start"] for d in kept}]
    return activate(deps, series, stored), stored, skipped + [_taken(o) for o in lost]


def _conflict_detail(accept: str, free: list) -> str:
    if accept == AVAILABLE or not free:
        return "None of the series' visits is free; see the alternatives in a preview."
    return "Some of the series' visits are not free, and every one was asked for; nothing was booked."


def _taken(occurrence: Occurrence) -> Occurrence:
    return Occurrence(occurrence.start, occurrence.end, "booked")


def _claim_all(deps: SeriesDeps, series: dict, docs: list[dict], accept: str) -> list[dict]:
    """Each occurrence's span in the ledger; on a lost race with `all` (or nothing left) what was claimed goes back."""
    kept, lost = [], []
    try:
        for doc in docs:
            taken = deps.ledger.claim(doc["provider_id"], doc["_id"], Span(doc["start"], doc["blocked_until"]))
            (kept if taken else lost).append(doc)
    except Exception:
        _give_up(deps, series, kept)   # no booking was stored yet: giving back is safe
        raise
    if lost and (accept == ALL or not kept):
        _give_up(deps, series, kept)
        conflicts = [{"start": d["start"].isoformat(), "reason": "booked"} for d in lost]
        raise SeriesConflict("Another booking took a visit of the series meanwhile; nothing was booked.",
                             {"occurrences": conflicts})
    return kept


def _give_up(stores: Stores, series: dict, claimed: list[dict]) -> None:
    """Before any booking is stored: free the claims, mark the series failed (no event: nobody heard of it)."""
    for doc in claimed:
        stores.ledger.release(doc["provider_id"], doc["_id"])
    stores.series.replace_quietly(series, {**series, "status": FAILED})


def activate(stores: Stores, series: dict, stored: list[dict]) -> dict:
    """The series active with the occurrences that were booked, and its series.created event, in one write."""
    active = stores.series.replace_if_unchanged(series, {**series, "status": ACTIVE, "occurrences": planned(stored)},
                                                CREATED_EVENT)
    if active is not None:
        return active
    current = stores.series.require(series["_id"])
    if current["status"] == ACTIVE:   # housekeeping finished it meanwhile: the same outcome
        return current
    raise ChangedMeanwhile("The series changed while it was being booked; check it and try again.")


def cancel(deps: SeriesDeps, series_id: str, cutoff: datetime | None = None, reason: str | None = None,
           by_patient: bool = False) -> dict:
    """Cancel the occurrences from `cutoff` on (default: every future one); each frees its slot at once.

    The change policy: a patient's cancel skips the occurrences inside CANCEL_CUTOFF_HOURS (they stay
    booked and are answered as `late_remaining`: the clinic can cancel them), and is LateChange when
    those are all there is to cancel; staff cancel them too, each recorded `late`.

    The series first notes the cancel it is doing (no event), so housekeeping can finish it if the
    process dies among the bookings; the last write carries `series.cancelled`."""
    current = deps.series.require(series_id)
    if current["status"] != ACTIVE or current.get("cancelling"):
        raise TransitionNotAllowed(f"A {current['status']} series cannot be cancelled.")
    now = deps.clock()
    cutoff = max(cutoff, now) if cutoff else now
    late_before = deps.change_policy.late_before(now)
    if by_patient:
        _refuse_if_only_late(deps, current, cutoff, late_before)
    note = {"from": max(cutoff, late_before) if by_patient else cutoff, "reason": reason, "late_before": late_before}
    marked = deps.series.replace_quietly(current, {**current, "cancelling": note})
    if marked is None:
        raise ChangedMeanwhile("The series changed while it was being cancelled; check it and try again.")
    done = finish_cancel(deps, marked, now)
    return {**done, "late_remaining": [o for o in done["occurrences"] if o["status"] in (REQUESTED, CONFIRMED)
                                       and cutoff <= o["start"] < late_before]}


def _refuse_if_only_late(deps: SeriesDeps, series: dict, cutoff: datetime, late_before: datetime) -> None:
    """LateChange when every visit a patient's cancel covers is inside the cutoff (nothing would change)."""
    covered = [b for b in deps.bookings.get_many(o["booking_id"] for o in series["occurrences"]).values()
               if b["start"] >= cutoff and b["status"] in (REQUESTED, CONFIRMED)]
    if covered and all(b["start"] < late_before for b in covered):
        raise late_change(deps.change_policy, series, "the series' next visit")


def finish_cancel(stores: Stores, series: dict, now: datetime) -> dict:
    """Cancel what the noted cancel covers and is still cancellable, then announce the series' new state."""
    cutoff, reason = series["cancelling"]["from"], series["cancelling"]["reason"]
    late_before = series["cancelling"].get("late_before")  # absent in a cancel noted before the change policy
    ids = [o["booking_id"] for o in series["occurrences"]]
    for booking in stores.bookings.get_many(ids).values():
        if booking["start"] >= cutoff and booking["status"] in (REQUESTED, CONFIRMED):
            late = late_before is not None and booking["start"] < late_before
            cancel_occurrence(stores, booking["_id"], reason, late)
    shown = with_bookings(series, stores.bookings.get_many(ids))
    ahead = any(o["status"] in ACTIVE_BOOKING and o["start"] >= now for o in shown["occurrences"])
    done = {**series, "occurrences": [_kept(o) for o in shown["occurrences"]], "cancelling": None,
            "status": ACTIVE if ahead else CANCELLED, "cancelled_from": cutoff}
    changed = stores.series.replace_if_unchanged(series, done, CANCELLED_EVENT)
    if changed is None:
        raise ChangedMeanwhile("The series changed while it was being cancelled; check it and try again.")
    return changed


def _kept(occurrence: dict) -> dict:
    return {k: occurrence[k] for k in ("booking_id", "start", "end", "blocked_until", "status", "version")
            if k in occurrence}


def cancel_occurrence(stores: Stores, booking_id: str, reason: str | None, late: bool = False) -> None:
    """Cancel one booking as part of its series (one message for the series, not one per visit);
    `late`: inside the cutoff (staff's cancel), recorded on the booking."""

    def apply(current: dict) -> dict:
        changed = {**current, "status": next_status("cancel", current["status"]), "cancel_reason": reason,
                   "cancelled_with_series": True}
        return {**changed, "late": True} if late else changed

    try:
        changed = stores.bookings.change(booking_id, apply, event_type=event_type("cancel"))
    except TransitionNotAllowed:
        return   # checked in or ended meanwhile: that visit stays as it is
    if changed["status"] == CANCELLED_BOOKING:
        stores.ledger.release(changed["provider_id"], booking_id)
