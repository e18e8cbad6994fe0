"""Booking a combined visit: a small saga over documents that no single write can cover.

The parts live in different providers' ledgers, so there is no one conditional update that takes
both. The steps, each safe to die after:

1. write the visit, pending at step `claiming`, with its plan (the part bookings to store);
2. claim each part's span in its provider's ledger, marked with the visit id; if one is taken,
   free what this request claimed, forget the visit and answer 409 naming the part;
3. move the visit to step `storing` (compare-and-set: if housekeeping undid it meanwhile, stop);
4. store both part bookings in one insert_many, each with its own booking event;
5. mark the visit booked, with `visit.booked`, in one write.

A booking is only ever stored after its span is held (step 4 follows 2), so no crash leaves a
booking without its span. A visit that stays pending is settled by visit_housekeeping.py:
undone before step 3, finished after it (or undone if a span went missing).

Cancelling a booked visit, each step safe to die after (as a series' cancel, series_operations.py):
1. note the cancel on the visit (compare-and-set, no event);
2. cancel each part still cancellable (`cancelled_with_visit`, so notifications sends one message for
   the visit), each booking changed before its span is freed (operations.py's order);
3. mark the visit cancelled with `visit.cancelled` in the same write.
A visit whose noted cancel stays unfinished is finished by visit_housekeeping.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable
from zoneinfo import ZoneInfo

from bookings.domain.booking import blocked, booking_document, new_booking_id
from bookings.domain.combined import DEFAULT_GAP_MINUTES, Part, care_refusal, combination_refusal
from bookings.domain.errors import ChangedMeanwhile, NotBookable, SlotTaken, TransitionNotAllowed
from bookings.domain.lifecycle import event_type, frees_slot, next_status
from bookings.domain.policy import ChangePolicy, late_change
from bookings.domain.slots import Policy
from bookings.domain.tokens import hash_token
from bookings.domain.visits import (BOOKED, CANCELLED, PENDING, VisitAbandoned, VisitInvalid, booking_ids,
                                    cancel_refusal, cancellable_parts, visit_document)
from bookings.operations import _schedule_for  # the single booking's rules, asked of each part
from bookings.store.visits import store_parts


@dataclass
class VisitDeps:
    visits: object
    bookings: object
    ledger: object
    schedules: object
    policy: Policy
    clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)
    # Called after each step with its name: the crash tests kill the process there.
    checkpoint: Callable[[str], None] = lambda _step: None
    store_parts: Callable[[object, list[dict]], list[dict]] = store_parts  # the one insert_many of the parts
    change_policy: ChangePolicy = ChangePolicy()  # CANCEL_CUTOFF_HOURS (domain/policy.py)


def plan_visit(deps: VisitDeps, request: dict, visit_id: str, token_hash: str) -> dict:
    """The pending visit document, or a refusal: each part checked as a single booking, then the pair."""
    patient = {**request["patient"], "state": request.get("patient_state") or request["patient"]["state"]}
    docs, roles = [], []
    for index, part in enumerate(request["parts"]):
        try:
            schedule = _schedule_for(deps, request["location_id"], part["service_id"], part["provider_id"],
                                     part["start"], patient["state"])
        except NotBookable as refusal:
            raise NotBookable(refusal.detail, "parts", f"part {index + 1}: {_reasons(refusal)}") from None
        roles.append(schedule.visit_type.provider_role)
        booking = {**part, "location_id": request["location_id"], "patient": patient, "notes": request.get("notes")}
        docs.append({**booking_document(booking, schedule, booking_id=new_booking_id(), token_hash=token_hash),
                     "visit_id": visit_id})
    docs.sort(key=lambda doc: doc["start"])
    parts = [Part(d["service_id"], d["provider_id"], d["start"], d["end"]) for d in docs]
    refusal = care_refusal(roles) or combination_refusal(
        parts, ZoneInfo(docs[0]["timezone"]), timedelta(minutes=request.get("max_gap_minutes", DEFAULT_GAP_MINUTES)))
    if refusal:
        raise VisitInvalid(f"These visits cannot be combined: {refusal}.", {"parts": [refusal]})
    return visit_document(visit_id, docs, token_hash)


def _reasons(refusal: NotBookable) -> str:
    return "; ".join(f"{field} {reason}" for field, reasons in refusal.errors.items() for reason in reasons)


def book_visit(deps: VisitDeps, request: dict, visit_id: str, token: str) -> tuple[dict, list[dict]]:
    """(the booked visit, its part bookings in time order); NotBookable / VisitInvalid (nothing written)
    or SlotTaken naming the part (nothing left held)."""
    visit = deps.visits.insert_pending(plan_visit(deps, request, visit_id, hash_token(token)))
    deps.checkpoint("visit-written")
    _claim_every_part(deps, visit)
    if not deps.visits.advance(visit_id):
        _free(deps.ledger, visit)  # housekeeping undid it while we were slow; free what we claimed after it
        raise VisitAbandoned("The visit took too long to book and was undone; please try again.")
    deps.checkpoint("claimed")
    stored = deps.store_parts(deps.bookings, visit["plan"])
    deps.checkpoint("parts-stored")
    booked = deps.visits.mark_booked(visit, stored)
    if booked is None:
        raise VisitAbandoned("The visit took too long to book and was undone; please try again.")
    return booked, sorted(stored, key=lambda doc: doc["start"])


def _claim_every_part(deps: VisitDeps, visit: dict) -> None:
    for index, part in enumerate(visit["plan"]):
        if not deps.ledger.claim(part["provider_id"], part["_id"], blocked(part), visit_id=visit["_id"]):
            if deps.visits.discard(visit["_id"]):
                _free(deps.ledger, visit)
            raise SlotTaken(f"The {part['service']['name']} at {_local(part)} is no longer free; nothing was "
                            "booked. Please pick another time.", {"parts": [f"part {index + 1} was just taken"]})
        deps.checkpoint(f"claimed-{index + 1}")


def _local(part: dict) -> str:
    return part["start"].astimezone(ZoneInfo(part["timezone"])).isoformat()


def _free(ledger, visit: dict) -> None:
    for part in visit["parts"]:
        ledger.release(part["provider_id"], part["booking_id"])


def existing_answer(deps: VisitDeps, visit_id: str) -> tuple[dict, list[dict]] | None:
    """A resumed request's earlier outcome: the booked visit and its parts, or None if there is none yet."""
    visit = deps.visits.get(visit_id)
    if visit is None or visit["status"] == PENDING:
        return None
    if visit["status"] != BOOKED:
        raise VisitAbandoned("The visit could not be completed; please book again.")
    parts = deps.bookings.get_many(booking_ids(visit))
    return visit, sorted(parts.values(), key=lambda doc: doc["start"])


def cancel_visit(deps: VisitDeps, visit_id: str, reason: str | None = None,
                 by_patient: bool = False) -> tuple[dict, list[dict]]:
    """(the cancelled visit, its parts in time order); TransitionNotAllowed when nothing of it can be cancelled.

    The change policy: the parts are one trip, so a patient's cancel with any part inside
    CANCEL_CUTOFF_HOURS is refused whole (LateChange, nothing changes); staff cancel every part,
    each recorded `late` or not."""
    visit = deps.visits.require(visit_id)
    parts = deps.bookings.get_many(booking_ids(visit)).values()
    refusal = cancel_refusal(visit, parts)
    if refusal:
        raise TransitionNotAllowed(refusal)
    now = deps.clock()
    late = [part for part in cancellable_parts(parts) if deps.change_policy.is_late(part["start"], now)]
    if by_patient and late:
        raise late_change(deps.change_policy, late[0], "this combined visit")
    noted = deps.visits.note_cancel(visit, reason, deps.change_policy.late_before(now) if late else None)
    if noted is None:
        raise ChangedMeanwhile("The visit changed while it was being cancelled; check it and try again.")
    deps.checkpoint("cancel-noted")
    return finish_cancel(deps.visits, deps.bookings, deps.ledger, noted, deps.checkpoint)


def finish_cancel(visits, bookings, ledger, visit: dict,
                  checkpoint: Callable[[str], None] = lambda _step: None) -> tuple[dict, list[dict]]:
    """Cancel what the noted cancel covers and is still cancellable, then announce the visit's end.
    Safe to repeat (housekeeping finishing a request that died, or one that was merely slow)."""
    reason, late_before = visit["cancelling"]["reason"], visit["cancelling"].get("late_before")
    for index, booking_id in enumerate(booking_ids(visit)):
        _cancel_part(bookings, booking_id, reason, late_before)
        checkpoint(f"part-cancelled-{index + 1}")
    parts = sorted(bookings.get_many(booking_ids(visit)).values(), key=lambda doc: doc["start"])
    for part in parts:  # after every booking changed; a repeat frees what a death left held
        if frees_slot(part["status"]):
            ledger.release(part["provider_id"], part["_id"])
    checkpoint("parts-freed")
    done = visits.finish_cancel(visit, parts)
    if done is None:
        done = visits.require(visit["_id"])
        if done["status"] != CANCELLED:  # not the same outcome reached by someone else: say so
            raise ChangedMeanwhile("The visit changed while it was being cancelled; check it and try again.")
    return done, parts


def _cancel_part(bookings, booking_id: str, reason: str | None, late_before=None) -> None:
    """One part, cancelled as part of its visit (one message for the visit, not one per part);
    `late: true` when the noted cancel says a part starting before `late_before` is late."""

    def apply(current: dict) -> dict:
        changed = {**current, "status": next_status("cancel", current["status"]), "cancel_reason": reason,
                   "cancelled_with_visit": True}
        late = late_before is not None and current["start"] < late_before
        return {**changed, "late": True} if late else changed

    try:
        bookings.change(booking_id, apply, event_type=event_type("cancel"))
    except TransitionNotAllowed:
        pass  # cancelled on its own, checked in or ended meanwhile: that part stays as it is
