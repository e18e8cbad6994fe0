"""What is particular to the notifications service."""
from clinic_common.messaging.consumer import ConsumerSpec

SERVICE = "notifications"
WORKER = "notifications-worker"
WORKERS = (WORKER,)
CONSUMER = ConsumerSpec(
    worker=WORKER,
    queue="notifications.events",
    routing_keys=("booking.#", "appointment_request.created"),
)
