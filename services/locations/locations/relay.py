"""`python -m locations.relay`: publishes location.*, provider.* and service.* events to clinic.events."""
import sys

from clinic_common.runner import run_relay

from locations.config import OUTBOX_COLLECTIONS, SERVICE

if __name__ == "__main__":
    sys.exit(run_relay(SERVICE, OUTBOX_COLLECTIONS))
