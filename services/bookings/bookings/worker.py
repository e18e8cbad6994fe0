"""`python -m bookings.worker`: drops cached working windows whenever locations announces a change."""
import sys

from clinic_common.runner import run_consumer

from bookings.config import CONSUMER, SERVICE
from bookings.store.epoch import ScheduleEpoch


def make_handler(mongo):
    def handle(_event) -> None:
        ScheduleEpoch(mongo.db).bump()

    return handle


if __name__ == "__main__":
    sys.exit(run_consumer(SERVICE, CONSUMER, make_handler))
