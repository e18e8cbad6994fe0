"""Events bookings consumes: schedule changes at locations, and its own bookings' freed slots.

A schedule change (location.*, provider.*, service.*) makes every cached working-windows answer stale:
the worker bumps the schedule epoch (store/epoch.py); the web processes see the new epoch on their next
request and stop using what they cached before (adapters/schedules.py). Bumping is idempotent in
effect, so a redelivered event costs one more bump and nothing else. With the service's settings the
worker also runs the waitlist (waitlist_housekeeping.py): a cancellation's slot is offered to the
longest-waiting match; a move or a schedule change rescans what is free for those waiting. A repeated
event offers nothing twice (an entry is offered a slot once; a slot is held once). A location.* or
provider.* event also re-judges that location's or provider's bookings ahead against the schedule as
it now is (disruption_operations.py): the reliable path behind the staff write's own quick scan; a
repeated event disrupts nothing twice.
"""
from __future__ import annotations

from bookings.disruption_operations import disruption_deps, scan, scope_of_event
from bookings.store.epoch import ScheduleEpoch
from bookings.waitlist_housekeeping import on_booking_event, rescan_all, waitlist_deps, worker_fast_lane

BOOKING_EVENTS = ("booking.cancelled", "booking.rescheduled")


def make_handler(mongo, settings=None, clock=None):
    """The consumer's handler: one datastore write per schedule event; the waitlist's work with `settings`."""
    state = {"waitlist": None, "disruptions": None}

    def waitlist():
        if state["waitlist"] is None:
            state["waitlist"] = waitlist_deps(mongo.db, settings, clock, worker_fast_lane(settings))
        return state["waitlist"]

    def handle(event) -> None:
        if event.type in BOOKING_EVENTS:
            if settings is not None:
                on_booking_event(waitlist(), event.type, event.data)
            return
        ScheduleEpoch(mongo.db).bump()
        if settings is None:
            return
        scope = scope_of_event(event.type, event.data)
        if scope is not None:
            if state["disruptions"] is None:
                state["disruptions"] = disruption_deps(mongo.db, settings, clock, worker_fast_lane(settings))
            scan(state["disruptions"], **scope)
        rescan_all(waitlist())

    return handle
