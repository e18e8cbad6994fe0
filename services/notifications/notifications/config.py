"""What is particular to the notifications service; every setting comes from clinic_common.config."""
from clinic_common.config import Settings
from clinic_common.messaging.consumer import ConsumerSpec

SERVICE = "notifications"
WORKER = "notifications-worker"  # the consumer: events in, records stored, ack
SENDER = "notifications-sender"  # the dispatch threads in each worker process: reminders and delivery
RELAY = "notifications-relay"  # publishes notification.sent / notification.failed
REQUEUE = "notifications-requeue"  # the ops command that gives failed notifications new attempts
WORKERS = (WORKER, SENDER, RELAY)
QUEUE = "notifications.events"
ROUTING_KEYS = ("booking.#", "appointment_request.created")
OUTBOX_COLLECTIONS = ("notifications",)


def consumer_spec(settings: Settings) -> ConsumerSpec:
    """Prefetch from NOTIFY_PREFETCH; retries through the shared delay queues (1 s, 5 s, 25 s), then parking."""
    # No inbox: records are keyed by the event id and reminders are compare-and-set on the booking's version,
    # so a redelivered event rewrites nothing (tests/unit/test_handler.py and the integration tests).
    return ConsumerSpec(worker=WORKER, queue=QUEUE, routing_keys=ROUTING_KEYS, prefetch=settings.notify_prefetch,
                        inbox=False)
