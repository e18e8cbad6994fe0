from datetime import datetime, timedelta, timezone

from clinic_common.health import HEARTBEATS, Heartbeat, heartbeat_check
from clinic_common.mongo import LazyMongo


def test_a_worker_is_ok_only_while_its_heartbeat_is_fresh_and_its_broker_reachable(settings):
    mongo = LazyMongo(settings, settings.db_name("hb"), "test")
    check = heartbeat_check(mongo, "demo-worker", stale_s=30)
    assert check() == (False, "no heartbeat yet")

    beat = Heartbeat(mongo.db, "demo-worker", every_s=5)
    beat.beat(broker_ok=True, force=True)
    assert check() == (True, "")

    beat.beat(broker_ok=False, force=True)
    assert check() == (False, "running, but cannot reach the broker")

    old = datetime.now(timezone.utc) - timedelta(seconds=90)
    mongo.db[HEARTBEATS].update_many({}, {"$set": {"at": old, "broker_ok": True}})
    ok, detail = check()
    assert not ok and "ago" in detail
    mongo.close()
