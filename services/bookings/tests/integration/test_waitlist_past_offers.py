"""What staff see of the offers an entry had: each offer that ended (declined, ran out, withdrawn with it,
accepted) is kept on the entry as a past offer with how and when it ended, the slot on the clinic's clock;
the live offer stays `offer`. Events carry none of it (docs/asyncapi.yaml is unchanged)."""
from datetime import timedelta

from bookings.waitlist_housekeeping import sweep

from .conftest import NOW
from .test_waitlist import SLOT, cancel, entry, join, worker  # noqa: F401  (fixtures of the waitlist's tests)


def offered(client, book, join, worker, count=2):  # noqa: F811
    booking = book(start=SLOT)
    joined = [join() for _ in range(count)]
    cancel(client, booking, worker)
    return joined, entry(client, joined[0])["offer"]


def test_a_declined_offer_is_a_past_offer_and_the_next_entry_has_it_live(client, staff, book, join, worker):  # noqa: F811
    (first, second), offer = offered(client, book, join, worker)
    assert entry(client, first)["past_offers"] == []
    client.post(f"/api/v1/waitlist/{first['id']}/decline", json={"offer_id": offer["id"]},
                headers={"X-Manage-Token": first["manage_token"]})
    listed = {e["id"]: e for e in client.get("/api/v1/waitlist?location_id=jonesboro", headers=staff).json["entries"]}
    [past] = listed[first["id"]]["past_offers"]
    assert past["id"] == offer["id"] and past["start"] == SLOT and past["outcome"] == "declined"
    assert past["provider_id"] == "hannah-brooks" and past["ended_at"].startswith("2026-12-01")
    assert listed[first["id"]]["offer"] is None
    assert listed[second["id"]]["past_offers"] == [] and listed[second["id"]]["offer"]["start"] == SLOT


def test_an_offer_that_ran_out_is_a_past_offer(client, book, join, worker):  # noqa: F811
    (first, _), offer = offered(client, book, join, worker)
    worker.clock_at["now"] = NOW + timedelta(minutes=16)
    assert sweep(worker) == 1
    assert [(p["id"], p["outcome"]) for p in entry(client, first)["past_offers"]] == [(offer["id"], "expired")]


def test_withdrawing_with_a_live_offer_keeps_it_as_withdrawn(client, staff, book, join, worker):  # noqa: F811
    (first, _), offer = offered(client, book, join, worker)
    gone = client.delete(f"/api/v1/waitlist/{first['id']}", headers=staff)
    assert gone.status_code == 200 and gone.json["status"] == "withdrawn"
    assert [(p["id"], p["outcome"]) for p in gone.json["past_offers"]] == [(offer["id"], "withdrawn")]


def test_an_accepted_offer_is_a_past_offer_that_booked(client, book, join, worker, db):  # noqa: F811
    (joined,), offer = offered(client, book, join, worker, count=1)
    accepted = client.post(f"/api/v1/waitlist/{joined['id']}/accept", json={"offer_id": offer["id"]},
                           headers={"X-Manage-Token": joined["manage_token"]})
    assert accepted.status_code == 201, accepted.json
    after = entry(client, joined)
    assert after["status"] == "booked" and [(p["id"], p["outcome"]) for p in after["past_offers"]] == [
        (offer["id"], "accepted")]
    events = db.waitlist.find_one({"_id": joined["id"]})["outbox"]
    assert all("past_offers" not in e["data"] for e in events)
