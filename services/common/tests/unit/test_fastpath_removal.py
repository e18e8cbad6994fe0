"""The fast lane's removal of published events: one write per collection, and a removal the datastore
could not take kept and tried again once it is back (not left for the relay's grace and back-off)."""
import time

from pymongo.errors import AutoReconnect

from clinic_common.messaging import fastpath
from clinic_common.messaging.fastpath import Published


class Collection:
    def __init__(self, name: str, failures: int = 0):
        self.full_name, self.failures, self.writes = name, failures, []

    def update_many(self, query, update):
        if self.failures:
            self.failures -= 1
            raise AutoReconnect("datastore away")
        self.writes.append((sorted(query["_id"]["$in"]), update["$pull"]["outbox"]["id"]["$in"]))


def test_published_events_of_a_collection_go_in_one_write():
    bookings, published = Collection("db.bookings"), Published()
    for doc, event in (("b1", "e1"), ("b2", "e2"), ("b1", "e3")):
        published.add(bookings, doc, event)
    published.remove()
    assert bookings.writes == [(["b1", "b2"], ["e1", "e2", "e3"])] and published.count == 0


def test_a_removal_the_datastore_could_not_take_is_tried_again_after_a_pause(monkeypatch):
    monkeypatch.setattr(fastpath, "REMOVE_RETRY_S", 0.05)
    bookings, published = Collection("db.bookings", failures=1), Published()
    published.add(bookings, "b1", "e1")
    published.remove()
    assert bookings.writes == [] and published.count == 1 and not published.due()  # kept, not at once
    time.sleep(0.06)
    assert published.due()
    published.remove()
    assert bookings.writes == [(["b1"], ["e1"])] and published.count == 0
