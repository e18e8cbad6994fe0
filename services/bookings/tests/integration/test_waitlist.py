"""The waitlist against the demo practice and the real datastore: join, a cancellation offered to the
longest-waiting match, decline and expiry passing it on, two slots to two people, the accept link, and a
public booking of an offered slot losing while the offer lives. The worker's handling of booking events is
driven directly (waitlist_housekeeping.on_booking_event) with the app's fixed clock.

Monday 7 December at Jonesboro: Hannah Brooks (English) works there; Miguel Santos (English, Spanish)
works there on Tuesdays and Thursdays."""
from datetime import timedelta

import pytest

from clinic_common.runner import build_relay

from bookings.config import OUTBOX_COLLECTIONS, load_booking_settings, offer_link_key
from bookings.domain.waitlist import link_credential
from bookings.waitlist_housekeeping import on_booking_event, sweep, waitlist_deps

from .conftest import NOW, PATIENT

SLOT = "2026-12-07T09:00:00-06:00"


def entry_body(**extra):
    body = {"patient": dict(PATIENT), "service_id": "therapy-cbt", "modality": "in_person",
            "location_ids": ["jonesboro"], "until": "2026-12-31",
            "windows": [{"days": ["mon", "wed"], "from": "08:00", "to": "12:00"}]}
    return {**body, **extra}


@pytest.fixture
def worker(test_env, live_locations, db):
    """What the bookings worker and the relay's sweep do for the waitlist, at the app's fixed clock."""
    settings = load_booking_settings({**test_env, "LOCATIONS_URL": live_locations})
    clock = {"now": NOW}
    deps = waitlist_deps(db, settings, lambda: clock["now"])
    deps.clock_at = clock
    return deps


@pytest.fixture
def join(client):
    def make(**extra):
        response = client.post("/api/v1/waitlist", json=entry_body(**extra))
        assert response.status_code == 201, response.json
        return response.json

    return make


def cancel(client, booking, worker):
    """Cancel a booking with its token and hand its booking.cancelled to the waitlist, as the worker would."""
    response = client.post(f"/api/v1/bookings/{booking['id']}/cancel", json={},
                           headers={"X-Manage-Token": booking["manage_token"]})
    assert response.status_code == 200, response.json
    on_booking_event(worker, "booking.cancelled", response.json)


def entry(client, joined):
    return client.get(f"/api/v1/waitlist/{joined['id']}", headers={"X-Manage-Token": joined["manage_token"]}).json


def test_joining_answers_waiting_with_a_token_and_announces_it(settings, client, db, staff, join, event_tap):
    tap = event_tap("waitlist.*")
    joined = join()
    assert joined["status"] == "waiting" and joined["manage_token"] and joined["offer"] is None
    assert entry(client, joined)["windows"] == [{"days": ["mon", "wed"], "from": "08:00", "to": "12:00"}]
    listed = client.get("/api/v1/waitlist?location_id=jonesboro&status=waiting", headers=staff).json["entries"]
    assert [e["id"] for e in listed] == [joined["id"]]
    assert client.get("/api/v1/waitlist").status_code == 401
    stored = db.waitlist.find_one({"_id": joined["id"]})
    assert joined["manage_token"] not in str(stored) and [e["type"] for e in stored["outbox"]] == ["waitlist.joined"]
    relay = build_relay(settings, "bookings", OUTBOX_COLLECTIONS)
    relay.relay_once()
    relay.close()
    [(props, event)] = tap.drain(1)
    assert event["type"] == "waitlist.joined" and event["data"]["patient"]["email"] == PATIENT["email"]
    assert "manage_token" not in str(event["data"]) and "offered_keys" not in event["data"]


def test_a_cancelled_slot_is_offered_to_the_longest_waiting_match_and_held_for_them(client, db, join, book, worker):
    booking = book(start=SLOT)
    first, second = join(), join()
    spanish = join(language="es")  # Hannah does not speak Spanish
    cancel(client, booking, worker)
    offered = entry(client, first)
    assert offered["status"] == "offered" and offered["offer"]["start"] == SLOT
    assert offered["offer"]["provider_id"] == "hannah-brooks" and offered["offer"]["provider"]["name"]
    assert entry(client, second)["status"] == "waiting" and entry(client, spanish)["status"] == "waiting"
    expires = offered["offer"]["expires_at"]
    assert expires == (NOW + timedelta(minutes=15)).isoformat()
    # The slot is gone for everyone else while the offer lives.
    taken = client.post("/api/v1/bookings", json={**_booking_body(), "start": SLOT})
    assert taken.status_code == 409
    slots = client.get("/api/v1/availability?service_id=therapy-cbt&location_id=jonesboro&from=2026-12-07"
                       "&to=2026-12-07&provider_id=hannah-brooks").json["slots"]
    assert SLOT not in [s["start"] for s in slots]
    assert [e["type"] for e in db.waitlist.find_one({"_id": first["id"]})["outbox"]] == [
        "waitlist.joined", "waitlist.offered"]


def _booking_body():
    return {"service_id": "therapy-cbt", "provider_id": "hannah-brooks", "location_id": "jonesboro",
            "patient": {**PATIENT, "email": "someone@example.com"}}


def test_accepting_books_exactly_the_offered_slot(client, db, join, book, worker):
    booking = book(start=SLOT)
    joined = join()
    cancel(client, booking, worker)
    offer_id = entry(client, joined)["offer"]["id"]
    accepted = client.post(f"/api/v1/waitlist/{joined['id']}/accept", json={"offer_id": offer_id},
                           headers={"X-Manage-Token": joined["manage_token"]})
    assert accepted.status_code == 201, accepted.json
    assert accepted.json["start"] == SLOT and accepted.json["status"] == "confirmed" and accepted.json["manage_token"]
    after = entry(client, joined)
    assert after["status"] == "booked" and after["booking_id"] == accepted.json["id"]
    busy = db.provider_ledgers.find_one({"_id": "hannah-brooks"})["busy"]
    assert [e["b"] for e in busy] == [accepted.json["id"]] and "x" not in busy[0]  # the hold became the booking
    again = client.post(f"/api/v1/waitlist/{joined['id']}/accept", json={"offer_id": offer_id},
                        headers={"X-Manage-Token": joined["manage_token"]})
    assert again.status_code == 404


def test_the_offer_link_credential_accepts_in_one_step_and_a_wrong_one_is_the_same_404(
        test_env, client, join, book, worker):
    booking = book(start=SLOT)
    joined, other = join(), join()
    cancel(client, booking, worker)
    offer_id = entry(client, joined)["offer"]["id"]
    key = offer_link_key(load_booking_settings(test_env))
    path = f"/api/v1/waitlist/{joined['id']}/accept"
    for headers, offer in (({"X-Offer-Token": link_credential(key, joined["id"], "f" * 32)}, offer_id),
                           ({"X-Offer-Token": link_credential(key, other["id"], offer_id)}, offer_id),
                           ({"X-Offer-Token": link_credential(b"k" * 32, joined["id"], offer_id)}, offer_id),
                           ({"X-Manage-Token": other["manage_token"]}, offer_id),
                           ({"X-Manage-Token": joined["manage_token"]}, "f" * 32), ({}, offer_id)):
        refused = client.post(path, json={"offer_id": offer}, headers=headers)
        assert refused.status_code == 404 and refused.content_type == "application/problem+json"
        assert refused.json["detail"] == "No such waitlist entry or offer is available to you."
    accepted = client.post(path, json={"offer_id": offer_id},
                           headers={"X-Offer-Token": link_credential(key, joined["id"], offer_id)})
    assert accepted.status_code == 201, accepted.json


def test_declining_passes_the_slot_to_the_next_match_and_never_back(client, join, book, worker):
    booking = book(start=SLOT)
    first, second = join(), join()
    cancel(client, booking, worker)
    offer_id = entry(client, first)["offer"]["id"]
    declined = client.post(f"/api/v1/waitlist/{first['id']}/decline", json={"offer_id": offer_id},
                           headers={"X-Manage-Token": first["manage_token"]})
    assert declined.status_code == 200 and declined.json["status"] == "waiting"
    assert entry(client, second)["status"] == "offered" and entry(client, second)["offer"]["start"] == SLOT
    # The second declines too: the slot is never offered to the first again.
    client.post(f"/api/v1/waitlist/{second['id']}/decline", json={"offer_id": entry(client, second)["offer"]["id"]},
                headers={"X-Manage-Token": second["manage_token"]})
    assert entry(client, first)["status"] == "waiting" and entry(client, second)["status"] == "waiting"


def test_an_offer_that_runs_out_goes_to_the_next_match(client, db, join, book, worker):
    booking = book(start=SLOT)
    first, second = join(), join()
    cancel(client, booking, worker)
    offer_id = entry(client, first)["offer"]["id"]
    assert sweep(worker) == 0  # not due yet
    worker.clock_at["now"] = NOW + timedelta(minutes=16)
    assert sweep(worker) == 1
    ran_out = entry(client, first)
    assert ran_out["status"] == "waiting" and ran_out["offer"] is None
    assert entry(client, second)["status"] == "offered"
    outbox = [e["type"] for e in db.waitlist.find_one({"_id": first["id"]})["outbox"]]
    assert outbox[-1] == "waitlist.expired"
    late = client.post(f"/api/v1/waitlist/{first['id']}/accept", json={"offer_id": offer_id},
                       headers={"X-Manage-Token": first["manage_token"]})
    assert late.status_code == 404


def test_two_slots_freeing_at_once_go_to_two_people(client, join, book, worker):
    bookings = [book(start=SLOT), book(start="2026-12-07T10:00:00-06:00")]
    first, second, third = join(), join(), join()
    for booking in bookings:
        cancel(client, booking, worker)
    offers = [entry(client, e) for e in (first, second, third)]
    assert [o["status"] for o in offers] == ["offered", "offered", "waiting"]
    assert {o["offer"]["start"] for o in offers[:2]} == {SLOT, "2026-12-07T10:00:00-06:00"}


def test_a_slot_outside_everyones_windows_or_for_another_service_is_offered_to_nobody(client, join, book, worker):
    afternoon = book(start="2026-12-07T14:00:00-06:00")
    waiting = join()  # mornings only
    other_service = join(service_id="therapy-dbt", windows=[])
    cancel(client, afternoon, worker)
    assert entry(client, waiting)["status"] == "waiting" and entry(client, other_service)["status"] == "waiting"


def test_a_public_booking_racing_an_offers_accept_loses_while_the_offer_lives(client, join, book, worker):
    import threading

    booking = book(start=SLOT)
    joined = join()
    cancel(client, booking, worker)
    offer_id = entry(client, joined)["offer"]["id"]
    answers, barrier = {}, threading.Barrier(9)
    app = client.application

    def public(i):
        barrier.wait()
        answers[f"public{i}"] = app.test_client().post(
            "/api/v1/bookings", json={**_booking_body(), "start": SLOT}).status_code

    def accept():
        barrier.wait()
        answers["accept"] = app.test_client().post(
            f"/api/v1/waitlist/{joined['id']}/accept", json={"offer_id": offer_id},
            headers={"X-Manage-Token": joined["manage_token"]}).status_code

    threads = [threading.Thread(target=public, args=(i,)) for i in range(8)] + [threading.Thread(target=accept)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert answers.pop("accept") == 201
    assert set(answers.values()) == {409}


def test_withdrawing_with_a_live_offer_passes_it_on(client, join, book, worker):
    booking = book(start=SLOT)
    first, second = join(), join()
    cancel(client, booking, worker)
    gone = client.delete(f"/api/v1/waitlist/{first['id']}", headers={"X-Manage-Token": first["manage_token"]})
    assert gone.status_code == 200 and gone.json["status"] == "withdrawn"
    assert entry(client, second)["status"] == "offered"


@pytest.mark.parametrize("changed, field", [
    ({"windows": [{"days": ["mon"], "from": "12:00", "to": "09:00"}]}, "windows"),
    ({"windows": [{"days": ["mon"], "from": "09:00", "to": "09:00"}]}, "windows"),
    ({"windows": [{"days": ["someday"], "from": "09:00", "to": "12:00"}]}, "windows"),
    ({"windows": [{"days": ["mon"], "from": "9am", "to": "12:00"}]}, "windows"),
    ({"until": "2026-11-30"}, "until"),
    ({"service_id": "no-such-service"}, "service_id"),
    ({"location_ids": ["no-such-place"]}, "location_ids"),
    ({"provider_id": "no-such-provider"}, "provider_id"),
    ({"modality": "by-post"}, "modality"),
    ({"location_ids": []}, "location_ids"),
])
def test_bad_entries_are_422_problems_and_nothing_is_written(client, db, changed, field):
    refused = client.post("/api/v1/waitlist", json=entry_body(**changed))
    assert refused.status_code == 422 and refused.content_type == "application/problem+json", refused.json
    assert field in str(refused.json.get("errors")), refused.json
    assert db.waitlist.count_documents({}) == 0


def test_unknown_or_foreign_entries_are_the_same_404(client, staff, join):
    mine, theirs = join(), join()
    for path, headers in ((f"/api/v1/waitlist/{mine['id']}", {"X-Manage-Token": theirs["manage_token"]}),
                          (f"/api/v1/waitlist/{mine['id']}", {}),
                          ("/api/v1/waitlist/" + "0" * 32, {"X-Manage-Token": mine["manage_token"]}),
                          ("/api/v1/waitlist/not-an-id", staff)):
        refused = client.get(path, headers=headers)
        assert refused.status_code == 404 and refused.content_type == "application/problem+json"
    assert client.get(f"/api/v1/waitlist/{mine['id']}", headers=staff).status_code == 200


def test_a_hold_that_ended_unused_has_its_time_offered_by_the_relays_sweep(client, db, join, worker):
    from bookings.store.holds import HoldRepository
    from bookings.waitlist_housekeeping import holds_ended

    joined = join()
    db.holds.insert_one({"_id": "h" * 32, "service_id": "therapy-cbt", "location_id": "jonesboro",
                         "provider_id": "hannah-brooks", "ends_at": NOW - timedelta(minutes=1), "used_by": None})
    assert holds_ended(worker, HoldRepository(db), NOW - timedelta(minutes=5), NOW) == 1
    offered = entry(client, joined)
    # The earliest free time of the entry's windows (Monday and Wednesday mornings) past the notice.
    assert offered["status"] == "offered" and offered["offer"]["start"] == "2026-12-02T08:00:00-06:00"
    assert offered["offer"]["provider"]["name"] and offered["offer"]["location"]["timezone"] == "America/Chicago"
