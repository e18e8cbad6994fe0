"""bench/wireproxy.py with a real pymongo client and the emulator in this process: what a driver really sends."""
import pytest
from pymongo import InsertOne, MongoClient, UpdateOne

from clinic_common.devmongo import EmbeddedMongo

from bench.wireproxy import CountingProxy

pytestmark = pytest.mark.integration


@pytest.fixture
def proxied():
    server = EmbeddedMongo().start()
    proxy = CountingProxy(int(server.url.split(":")[2].split("/")[0])).start()
    client = MongoClient(proxy.url, serverSelectionTimeoutMS=5000)
    try:
        client.admin.command("ping")
        yield client, proxy
    finally:
        client.close()
        proxy.stop()
        server.stop()


def test_a_drivers_writes_and_reads_are_counted_by_collection_and_statement(proxied):
    client, proxy = proxied
    before, coll = proxy.counts(), client["p_bookings"]["ledger"]
    coll.insert_many([{"_id": n} for n in range(3)])
    coll.bulk_write([UpdateOne({"_id": 0}, {"$set": {"a": 1}}), UpdateOne({"_id": 1}, {"$set": {"a": 1}}),
                     InsertOne({"_id": 9})], ordered=True)
    coll.find_one_and_update({"_id": 2}, {"$set": {"a": 2}})
    assert len(list(coll.find({}, batch_size=2))) == 4
    net = proxy.counts().minus(before)
    ns = "p_bookings.ledger"
    assert net.statements[(ns, "insert")] == 4 and net.commands[(ns, "insert")] == 2
    assert net.statements[(ns, "update")] == 2 and net.commands[(ns, "update")] == 1
    assert net.commands[(ns, "findAndModify")] == 1 and net.commands[(ns, "find")] == 1
    assert net.commands[(ns, "getMore")] >= 1  # a batch of 2 leaves the rest to fetch
