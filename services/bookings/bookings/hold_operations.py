"""What each hold request does (docs/holds.md): check the slot exactly as a booking would, take one
of the client's places, keep the time in the ledger until it expires, store the hold.

Order: the client's place first (429 before any work on the slot), then the ledger (the datastore
decides races with bookings and other holds: 409), then the document. A crash after the ledger
leaves an entry that expires on its own; a place taken by a hold that never came is free again at
the same moment. Nothing here needs cleaning up.
"""
from __future__ import annotations

from dataclasses import dataclass

from clinic_common.errors import Conflict, NotFound, Unprocessable

from bookings import operations
from bookings.domain.booking import blocked
from bookings.domain.errors import NotBookable, SlotTaken
from bookings.domain.holds import RAN_OUT, TooManyHolds, hold_document, is_hold_id, is_live, same_slot
from bookings.domain.tokens import hash_token, new_manage_token, token_matches

NO_SUCH_HASH = hash_token("no hold has this token")
NOT_YOURS = "No hold with that id is available to you."


@dataclass
class HoldDeps:
    booking: operations.Deps   # schedules, policy, ledger, clock: the same rules as POST /bookings
    holds: object              # store/holds.py HoldRepository
    minutes: float             # HOLD_MINUTES
    per_client: int            # HOLDS_PER_CLIENT


def hold(deps: HoldDeps, request: dict, hold_id: str, token: str, client: str,
         resumed: bool = False) -> tuple[dict, str]:
    """A new hold and its one-time token; NotBookable (422), SlotTaken (409) or TooManyHolds (429)."""
    if resumed and (existing := deps.holds.get(hold_id)) is not None:
        return existing, token
    b = deps.booking
    schedule = operations._schedule_for(b, request["location_id"], request["service_id"], request["provider_id"],
                                        request["start"], request.get("patient_state"))
    if schedule.modality == "telehealth" and not request.get("patient_state"):
        raise NotBookable("A telehealth visit needs the state the patient will be in.", "patient_state",
                          "required for telehealth")
    now = b.clock()
    probe = hold_document(request, schedule, hold_id=hold_id, token_hash=hash_token(token), client=client,
                          place="", now=now, minutes=deps.minutes)
    place = deps.holds.take_place(client, hold_id, probe["expires_at"], now, deps.per_client)
    if place is None:
        raise TooManyHolds(f"At most {deps.per_client} times may be held at once; let one go or book it.")
    doc = {**probe, "place": place}
    if not b.ledger.claim(doc["provider_id"], hold_id, blocked(doc), expires_at=doc["expires_at"]):
        deps.holds.free_place(place, hold_id, now)
        raise SlotTaken(operations.TAKEN)
    return deps.holds.create(doc), token


def release(deps: HoldDeps, hold_id: str, token: str | None) -> None:
    """Let a hold go (204 whatever state it was in); 404 for a wrong token or unknown id, after the same work."""
    held = deps.holds.get(hold_id) if is_hold_id(hold_id) else None
    if not token_matches(token, held["token_hash"] if held else NO_SUCH_HASH) or held is None:
        raise NotFound(NOT_YOURS)
    now = deps.booking.clock()
    if held["used_by"] is None:
        deps.booking.ledger.release_hold(held["provider_id"], hold_id)  # never a booking's entry
    deps.holds.mark_released(hold_id, now)
    deps.holds.free_place(held["place"], hold_id, now)


def held_for_booking(deps: HoldDeps, hold_id: str, token: str | None, body: dict) -> dict:
    """The hold a booking request names: 404 (wrong token, unknown id), 422 (another slot), 409 (ran out)."""
    held = deps.holds.get(hold_id) if is_hold_id(hold_id) else None
    if not token_matches(token, held["token_hash"] if held else NO_SUCH_HASH) or held is None:
        raise NotFound(NOT_YOURS)
    wrong = same_slot(held, body)
    if wrong:
        raise Unprocessable("A booking from a hold must be for exactly the held time.",
                            {name: ["differs from the held slot"] for name in wrong})
    if not is_live(held, deps.booking.clock()):
        raise Conflict(RAN_OUT)
    return held


def book_held(deps: HoldDeps, held: dict, request: dict, booking_id: str, token: str,
              resumed: bool = False) -> tuple[dict, str]:
    """Book the held slot (operations.book with the hold's claim), then mark the hold used and free its place."""
    stored, token = operations.book(deps.booking, request, booking_id, token, resumed=resumed, hold_id=held["_id"])
    deps.holds.mark_used(held["_id"], stored["_id"])
    deps.holds.free_place(held["place"], held["_id"], deps.booking.clock())
    return stored, token


def new_hold_token() -> str:
    return new_manage_token()[0]


