"""Ops command: give failed notifications a fresh set of attempts, once the channel is fixed.

    python -m notifications.requeue --booking-id <id>      # one booking's failed notifications
    python -m notifications.requeue --since 2026-12-01T00:00:00+00:00   # everything failed since then
    python -m notifications.requeue --since ... --dry-run   # count only

A requeued notification keeps its id (and so its Message-ID / idempotency key) and is sent by
the running workers as usual; a new notification.sent or notification.failed follows.
"""
from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone

from clinic_common.mongo import LazyMongo

from notifications.config import REQUEUE, SERVICE, load_notification_settings
from notifications.store.notifications import NotificationRepository


def failed_query(booking_id: str | None, since: datetime | None) -> dict:
    query: dict = {}
    if booking_id:
        query["booking_id"] = booking_id
    if since:
        query["created_at"] = {"$gte": since}
    return query


def main(argv=None, env=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--booking-id")
    parser.add_argument("--since", type=datetime.fromisoformat, help="ISO 8601 time with offset")
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    if not args.booking_id and not args.since:
        parser.error("name a --booking-id or a --since time: requeueing everything ever failed is rarely meant")
    settings = load_notification_settings(env, needs_jwt_secret=False)
    mongo = LazyMongo(settings, settings.db_name(SERVICE), REQUEUE)  # the same client settings as every process
    try:
        repo = NotificationRepository(mongo.db)
        query = failed_query(args.booking_id, args.since)
        count = repo.failed_count(query) if args.dry_run else repo.requeue(query, datetime.now(timezone.utc))
    finally:
        mongo.close()
    print(f"{'would requeue' if args.dry_run else 'requeued'} {count} failed notification(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
