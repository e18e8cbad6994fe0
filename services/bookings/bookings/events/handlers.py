"""Schedule changes at locations: each one makes every cached working-windows answer stale.

The worker only bumps the schedule epoch (store/epoch.py); the web processes see the new epoch on
their next request and stop using what they cached before (adapters/schedules.py). Bumping is
idempotent in effect, so a redelivered event costs one more bump and nothing else.
"""
from __future__ import annotations

from bookings.store.epoch import ScheduleEpoch


def make_handler(mongo):
    """The consumer's handler: one datastore write per event, whatever it says changed."""

    def handle(_event) -> None:
        ScheduleEpoch(mongo.db).bump()

    return handle
