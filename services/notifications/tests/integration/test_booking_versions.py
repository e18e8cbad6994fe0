"""The newest applied version per booking: an older one is stale, the same one is not, and a
record does not outlive the window in which a late copy of an event could still arrive."""
from clinic_common.messaging.inbox import KEEP_S

from notifications.store.versions import BookingVersions


def test_versions_apply_in_order_and_expire_with_handled_event_ids(mongo_db):
    versions = BookingVersions.connect(mongo_db)
    assert versions.advance("b1", 2) and versions.advance("b1", 2)  # a redelivery of the same version may finish
    assert not versions.advance("b1", 1)                              # an older one is stale
    stored = mongo_db.booking_versions.find_one({"_id": "b1"})
    assert stored["applied"] == 2 and stored["at"] is not None
    [ttl] = [index for index in mongo_db.booking_versions.list_indexes() if "expireAfterSeconds" in index]
    assert dict(ttl["key"]) == {"at": 1} and ttl["expireAfterSeconds"] == KEEP_S
