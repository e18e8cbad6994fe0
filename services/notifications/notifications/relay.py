"""`python -m notifications.relay`: publishes notification.sent / notification.failed, stored with
each outcome in the notification's own document, to clinic.events with publisher confirms."""
import sys

from clinic_common.runner import run_relay

from notifications.config import OUTBOX_COLLECTIONS, SERVICE

if __name__ == "__main__":
    sys.exit(run_relay(SERVICE, OUTBOX_COLLECTIONS))
