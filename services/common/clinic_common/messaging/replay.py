"""Ops command: move parked messages back onto their queue, after the cause is fixed.

    python -m clinic_common.messaging.replay notifications.events [--limit N] [--dry-run]
"""
from __future__ import annotations

import argparse
import sys

import pika

from clinic_common.config import load_settings
from clinic_common.messaging.topology import Topology, connection_parameters

DROPPED_ON_REPLAY = ("x-attempt", "x-last-error", "x-parked-reason", "x-parked-at", "x-death")


def replay(channel, queue: str, limit: int | None, dry_run: bool, out=sys.stdout) -> int:
    moved = 0
    while limit is None or moved < limit:
        method, props, body = channel.basic_get(Topology.parking_queue(queue), auto_ack=False)
        if method is None:
            break
        headers = dict(props.headers or {})
        print(f"{props.message_id} {props.type} parked: {headers.get('x-parked-reason', '?')}", file=out)
        moved += 1
        if dry_run:
            continue  # left unacked: closing the connection puts every listed message back
        fresh = {k: v for k, v in headers.items() if k not in DROPPED_ON_REPLAY}
        channel.basic_publish("", queue, body, mandatory=True, properties=pika.BasicProperties(
            content_type=props.content_type, delivery_mode=pika.DeliveryMode.Persistent,
            message_id=props.message_id, type=props.type, headers=fresh))
        channel.basic_ack(method.delivery_tag)
    return moved


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("queue", help="the consumer's main queue, e.g. notifications.events")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--dry-run", action="store_true", help="list what is parked, move nothing")
    args = parser.parse_args(argv)
    settings = load_settings(needs_jwt_secret=False)
    connection = pika.BlockingConnection(connection_parameters(settings.amqp_url, settings.amqp_timeout_s))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        moved = replay(channel, args.queue, args.limit, args.dry_run)
    finally:
        connection.close()
    print(f"{'listed' if args.dry_run else 'replayed'} {moved} message(s) from {Topology.parking_queue(args.queue)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
