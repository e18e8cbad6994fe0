"""The relay notices a returning datastore within a second, whatever the length of the outage.

Every datastore call while it is down already waits out server selection (MONGO_TIMEOUT_MS) before it fails,
so the relay does not hammer a dead datastore by retrying soon after; waiting out a broker-style back-off
(up to 5 s) on top of that only kept pending events in the outbox after the datastore was back (the
proving ground's datastore-sigkill recovery went over its 10 s limit in about one run of three).
"""
import threading

from pymongo.errors import AutoReconnect, ServerSelectionTimeoutError

from clinic_common.messaging.outbox import OUTBOX, OutboxRelay

EVENT = {"id": "e1", "type": "booking.confirmed", "data": {"id": "b1"}, "occurred_at": "2026-11-30T00:00:00.000+00:00",
         "request_id": "r1", "version": 1}


class RecordingStop(threading.Event):
    """A stop event that records how long the relay chose to wait, and waits not at all."""

    def __init__(self):
        super().__init__()
        self.waits: list[float] = []

    def wait(self, timeout=None):
        self.waits.append(timeout)
        return self.is_set()


class DatastoreAwayThenBack:
    """A collection whose datastore is down for `failures` calls, then serves one pending event."""

    full_name = "clinic.bookings"

    def __init__(self, failures: int, stop: RecordingStop):
        self.failures, self.stop, self.pulled = failures, stop, []
        self.pending = [{"_id": "b1", OUTBOX: [dict(EVENT)]}]

    def find(self, query, projection=None):
        if self.failures:
            self.failures -= 1
            raise ServerSelectionTimeoutError("no server") if self.failures % 2 else AutoReconnect("reset")
        return Cursor(list(self.pending))

    def update_one(self, where, update):
        self.pulled.append(where["_id"])
        self.pending = []
        self.stop.set()


class Cursor(list):
    def limit(self, _):
        return self


class Publisher:
    def __init__(self):
        self.sent = []

    def publish(self, event):
        self.sent.append(event.id)

    def close(self):
        pass


def test_a_long_datastore_outage_never_leaves_the_relay_asleep_past_a_second():
    stop = RecordingStop()
    collection, publisher = DatastoreAwayThenBack(8, stop), Publisher()
    OutboxRelay([collection], publisher, stop=stop).run()
    assert publisher.sent == ["e1"] and collection.pulled == ["b1"]
    datastore_waits = stop.waits[:8]
    assert len(datastore_waits) == 8 and max(datastore_waits) <= 1.0, datastore_waits
