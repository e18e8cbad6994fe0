"""What each booking request does, step by step: read the schedules, check the rules, take the
slot in the ledger (the datastore decides races), then store the booking with its event.

Order matters for safety. The ledger is always taken before the booking changes and freed
only after it: at every moment the ledger blocks at least what the bookings hold, so a
crash can leave a slot briefly over-blocked (the reconciler frees it) but never double-booked.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

from clinic_common.errors import Conflict

from bookings.domain.booking import blocked, booking_document, slot_fields
from bookings.domain.errors import ChangedMeanwhile, NoMatchingSchedule, NotBookable, SlotTaken
from bookings.domain.holds import RAN_OUT
from bookings.domain.lifecycle import event_type, frees_slot, next_status
from bookings.domain.policy import ChangePolicy, check_patient_change, check_staff_action
from bookings.domain.schedule import Schedule
from bookings.domain.slots import Policy, Span, start_refusal
from bookings.domain.tokens import hash_token, new_manage_token

TELEHEALTH = "telehealth"
TAKEN = "That time is no longer free; please pick another slot."


@dataclass
class Deps:
    bookings: object
    ledger: object
    schedules: object
    policy: Policy
    clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)
    change_policy: ChangePolicy = ChangePolicy()  # CANCEL_CUTOFF_HOURS (domain/policy.py)
    # The ids of the telehealth locations, asked only when a visit moves to telehealth.
    telehealth_locations: Callable[[], list[str]] = lambda: []


def _schedule_for(deps: Deps, location_id: str, service_id: str, provider_id: str, start: datetime,
                  patient_state: str) -> Schedule:
    """Working windows around `start`: a day either side covers every zone's idea of its date.

    Asked for every provider, not just this one: one cached answer then serves every booking
    at this location that day."""
    day = start.astimezone(timezone.utc).date()
    schedule = deps.schedules.windows(location_id, day - timedelta(days=1), day + timedelta(days=1), service_id,
                                      patient_state=patient_state)
    provider = schedule.provider(provider_id)
    if provider is None:
        raise NotBookable("That provider cannot see this patient for this visit here.", "provider_id",
                          "does not offer this service at this location, or is not licensed where the patient will be")
    refusal = start_refusal(start, list(provider.windows), schedule.visit_type.cadence, deps.clock(), deps.policy)
    if refusal:
        raise NotBookable(f"That start time {refusal}.", "start", refusal)
    return schedule


def book(deps: Deps, request: dict, booking_id: str, token: str | None = None,
         resumed: bool = False, hold_id: str | None = None) -> tuple[dict, str]:
    """A new booking and its one-time manage token; NotBookable if the slot never existed, SlotTaken if taken.

    Safe to repeat with the same `booking_id` and `token` (`resumed`: a retried request whose first
    try's outcome is unknown): a booking already stored under that id is the answer. Only a resumed
    attempt looks first (a fresh one cannot find anything: one read saved per booking); one that
    races its first try still ends on the stored booking, through the id's uniqueness. Once the
    booking may have been stored, nothing here frees its span; a span whose booking never got
    stored is the reconciler's to free.
    """
    token = token or new_manage_token()[0]
    existing = deps.bookings.get(booking_id) if resumed else None
    if existing is not None:
        return existing, token
    schedule = _schedule_for(deps, request["location_id"], request["service_id"], request["provider_id"],
                             request["start"], request["patient"]["state"])
    doc = booking_document(request, schedule, booking_id=booking_id, token_hash=hash_token(token))
    if hold_id is not None:  # exactly the held span, while the hold lives (hold_operations.py)
        if not deps.ledger.claim_held(doc["provider_id"], booking_id, blocked(doc), hold_id):
            raise SlotTaken(RAN_OUT)
    elif not deps.ledger.claim(doc["provider_id"], booking_id, blocked(doc)):
        raise SlotTaken(TAKEN)
    try:
        return deps.bookings.create(doc, event_type=f"booking.{doc['status']}"), token
    except Conflict:  # the repository's answer to a taken id: the same request, retried, stored it first
        return deps.bookings.require(booking_id), token


def transition(deps: Deps, booking_id: str, action: str, reason: str | None = None, by_patient: bool = False) -> dict:
    """confirm / check_in / complete / no_show / cancel; a booking that ends frees its slot at once.

    A patient's cancel inside the cutoff is refused (LateChange); staff's is recorded `late`.
    Check-in, complete and no-show follow the visit's time (domain/policy.py)."""
    now = deps.clock()

    def apply(current: dict) -> dict:
        changed = {**current, "status": next_status(action, current["status"])}
        check_staff_action(action, current, now)
        if action == "cancel":
            changed["cancel_reason"] = reason
            if _late_change(deps, current, now, by_patient):
                changed["late"] = True
        return changed

    changed = deps.bookings.change(booking_id, apply, event_type=event_type(action))
    if frees_slot(changed["status"]):
        deps.ledger.release(changed["provider_id"], booking_id)
    return changed


def _late_change(deps: Deps, current: dict, now: datetime, by_patient: bool) -> bool:
    """Whether a cancel or move of `current` comes inside the cutoff; a patient's is refused then.
    A late change is recorded as `late: true` on the booking, and stays recorded."""
    if by_patient:
        check_patient_change(deps.change_policy, current, now)
    return deps.change_policy.is_late(current["start"], now)


def reschedule(deps: Deps, booking_id: str, start: datetime, provider_id: str | None = None,
               by_patient: bool = False, modality: str | None = None, patient_state: str | None = None) -> dict:
    """Move a booking: it switches to the new slot in one write, or nothing changes.

    The new span is added to the ledger first (beside the old one), then the booking switches
    with a compare-and-set, then the old span is dropped. A patient's move inside the cutoff is
    refused (LateChange) before anything is claimed; staff's is recorded `late`. `modality`
    telehealth moves an in-person visit to a telehealth location (a disruption's telehealth option;
    `patient_state`: where the patient will be). A move clears the booking's disruption.
    """
    current = deps.bookings.require(booking_id)
    next_status("reschedule", current["status"])
    late = _late_change(deps, current, deps.clock(), by_patient)
    provider_id = provider_id or current["provider_id"]
    schedule, place = _new_place(deps, current, provider_id, start, modality, patient_state)
    moved = {**slot_fields(start.astimezone(timezone.utc), schedule, provider_id), **place,
             "slot_rev": current["slot_rev"] + 1, "disruption": None, **({"late": True} if late else {})}
    if not deps.ledger.claim(provider_id, booking_id, Span(moved["start"], moved["blocked_until"]), moved["slot_rev"]):
        raise SlotTaken(TAKEN)
    changed = _switch(deps, current, moved)
    deps.ledger.release_superseded(current["provider_id"], booking_id, moved["slot_rev"])
    if provider_id != current["provider_id"]:
        deps.ledger.release_superseded(provider_id, booking_id, moved["slot_rev"])
    return changed


def _new_place(deps: Deps, current: dict, provider_id: str, start: datetime, modality: str | None,
               patient_state: str | None) -> tuple[Schedule, dict]:
    """The schedule of the slot moved to, and the booking's fields that change with its place (none
    when it stays); to telehealth: the first telehealth location where the provider works then."""
    if modality is None or modality == current["modality"]:
        return _schedule_for(deps, current["location_id"], current["service_id"], provider_id, start,
                             current["patient"]["state"]), {}
    if modality != TELEHEALTH:
        raise NotBookable("A telehealth visit cannot be moved to a clinic; cancel it and book at the clinic.",
                          "modality", "only telehealth may be asked for, and only for an in-person visit")
    state = patient_state or current["patient"]["state"]
    refusal = NotBookable("This visit cannot be seen by telehealth then.", "modality",
                          "no telehealth schedule of this provider for this visit type and state at that time")
    for location_id in deps.telehealth_locations():
        try:
            schedule = _schedule_for(deps, location_id, current["service_id"], provider_id, start, state)
        except NotBookable as exc:  # the provider does not work then, or is not licensed in `state`
            refusal = exc
            continue
        except NoMatchingSchedule:  # the visit type is not offered by telehealth
            continue
        location = schedule.location
        return schedule, {"location_id": location.id, "modality": schedule.modality, "timezone": location.timezone,
                          "location": location.snapshot(), "patient": {**current["patient"], "state": state}}
    raise refusal


def _switch(deps: Deps, current: dict, moved: dict) -> dict:
    """Compare-and-set the booking onto its new slot; undo the new span if it was cancelled or moved meanwhile."""
    for _ in range(5):
        changed = deps.bookings.replace_if_unchanged(current, {**current, **moved}, event_type("reschedule"))
        if changed is not None:
            return changed
        current = deps.bookings.require(current["_id"])
        if current["slot_rev"] + 1 != moved["slot_rev"] or frees_slot(current["status"]):
            break
    deps.ledger.release_entry(moved["provider_id"], current["_id"], moved["slot_rev"], moved["start"])
    raise ChangedMeanwhile("The booking changed while it was being moved; check it and try again.")
