"""The outbox relay against the real broker and datastore."""
import threading
import time

import pytest

from clinic_common.events import Event
from clinic_common.messaging.outbox import OUTBOX, OutboxRelay, ensure_outbox_index, with_pending
from clinic_common.messaging.publisher import PublishFailed, Publisher
from clinic_common.messaging.topology import Topology

DEAD_BROKER = "amqp://guest:guest@127.0.0.1:1/%2F"


@pytest.fixture
def publishers(settings):
    made = []

    def make(url=None):
        made.append(Publisher(url or settings.amqp_url, 2.0, Topology(settings.amqp_namespace)))
        return made[-1]

    yield make
    for publisher in made:
        publisher.close()


def _store(coll, doc_id, *events):
    coll.update_one({"_id": doc_id}, with_pending({"$set": {"status": "x"}}, *events), upsert=True)


def test_pending_events_are_published_in_order_with_contract_properties_then_removed(settings, mongo_db, event_tap, publishers):
    tap, coll = event_tap(), mongo_db.things
    ensure_outbox_index(coll)
    first = Event(type="booking.confirmed", data={"id": "b1"}, request_id="req-1")
    second = Event(type="booking.cancelled", data={"id": "b1"}, request_id="req-2")
    _store(coll, "b1", first, second)

    assert OutboxRelay([coll], publishers()).relay_once() == 2

    got = tap.drain(2)
    assert [body["id"] for _, body in got] == [first.id, second.id]
    props, body = got[0]
    assert props.message_id == first.id and props.delivery_mode == 2
    assert props.content_type == "application/json" and props.headers["request_id"] == "req-1"
    assert body == first.envelope()
    assert coll.find_one({"_id": "b1"})[OUTBOX] == []


def test_a_broker_outage_keeps_events_until_it_returns_and_publishes_each_once(settings, mongo_db, event_tap, publishers):
    tap, coll = event_tap(), mongo_db.things
    events = [Event(type="booking.confirmed", data={"id": f"b{i}"}) for i in range(3)]
    for i, event in enumerate(events):
        _store(coll, f"b{i}", event)

    with pytest.raises(PublishFailed):
        OutboxRelay([coll], publishers(DEAD_BROKER)).relay_once()
    assert coll.count_documents({"outbox.id": {"$exists": True}}) == 3

    assert OutboxRelay([coll], publishers()).relay_once() == 3
    assert sorted(body["id"] for _, body in tap.drain(3)) == sorted(e.id for e in events)


def test_a_crash_between_publish_and_mark_republishes_rather_than_drops(settings, mongo_db, event_tap, publishers):
    tap, coll = event_tap(), mongo_db.things
    event = Event(type="booking.confirmed", data={"id": "b1"})
    _store(coll, "b1", event)
    publisher = publishers()
    publisher.publish(event)  # the relay got this far, then died before pulling the event

    OutboxRelay([coll], publisher).relay_once()

    ids = [body["id"] for _, body in tap.drain(2)]
    assert ids == [event.id, event.id]  # at least once: consumers dedupe by id



def test_a_slow_chore_never_holds_up_the_events(mongo_db, publishers):
    """The relay's housekeeping runs beside its publishing: events go out while a chore is still busy."""
    coll, busy, release = mongo_db.chores, threading.Event(), threading.Event()
    ensure_outbox_index(coll)

    def slow_chore():
        busy.set()
        release.wait(10)

    relay = OutboxRelay([coll], publishers(), poll_s=0.02, housekeeping=slow_chore, housekeeping_every_s=0.05)
    runner = threading.Thread(target=relay.run, daemon=True)
    runner.start()
    try:
        assert busy.wait(5)
        _store(coll, "b1", Event(type="booking.confirmed", data={"id": "b1"}))
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and coll.find_one({"_id": "b1"}).get(OUTBOX):
            time.sleep(0.02)
        assert coll.find_one({"_id": "b1"})[OUTBOX] == []  # published while the chore was still running
    finally:
        release.set()
        relay.stop.set()
        runner.join(timeout=10)
