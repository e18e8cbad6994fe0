"""`python -m notifications.worker`: turns booking events into notifications. Safe to run several."""
import sys

from clinic_common.runner import run_consumer

from notifications.config import CONSUMER, SERVICE
from notifications.events.handlers import make_handler

if __name__ == "__main__":
    sys.exit(run_consumer(SERVICE, CONSUMER, make_handler))
