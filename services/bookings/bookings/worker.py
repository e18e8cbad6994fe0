"""`python -m bookings.worker`: drops cached working windows whenever locations announces a change, and
offers slots that free to the waitlist (events/handlers.py)."""
import sys

from clinic_common.runner import run_consumer

from bookings.config import CONSUMER, SERVICE, load_booking_settings
from bookings.events.handlers import make_handler

__all__ = ["make_handler"]

if __name__ == "__main__":
    sys.exit(run_consumer(SERVICE, CONSUMER, lambda mongo: make_handler(mongo, load_booking_settings())))
