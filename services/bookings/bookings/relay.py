"""`python -m bookings.relay`: publishes the bookings service's pending events to clinic.events."""
import sys

from clinic_common.runner import run_relay

from bookings.config import OUTBOX_COLLECTIONS, SERVICE

if __name__ == "__main__":
    sys.exit(run_relay(SERVICE, OUTBOX_COLLECTIONS))
