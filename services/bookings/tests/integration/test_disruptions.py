"""Disruptions against a live locations service (demo practice) and the real datastore: a closure or a
schedule change over a booking, found by the scan, listed for staff, announced once, cleared by a move
or by the change being undone; nothing cancelled."""
import requests

DISRUPTED = "/api/v1/bookings?disrupted=true"
SCAN = "/api/v1/bookings/disruptions/scan"
PARAGOULD_MONDAY = "2026-12-07T09:00:00-06:00"  # Miguel Santos works at Paragould on Mondays and Wednesdays


def close(live_locations, staff, day="2026-12-07", location="paragould"):
    answer = requests.post(f"{live_locations}/api/v1/locations/{location}/closures", headers=staff, timeout=10,
                           json={"from": day, "to": day, "reason": "Holiday"})
    assert answer.status_code == 201, answer.text
    return answer.json()


def events_of(db, booking_id):
    return [e["type"] for e in db.bookings.find_one({"_id": booking_id})["outbox"]]


def test_a_closure_over_a_booking_disrupts_it_once_and_a_move_clears_it(client, book, staff, live_locations, db):
    booking = book(provider="miguel-santos", location="paragould", start=PARAGOULD_MONDAY)
    elsewhere = book(provider="miguel-santos", location="paragould", start="2026-12-09T09:00:00-06:00")
    assert client.post(SCAN, json={"location_id": "paragould"}, headers=staff).json["disrupted_bookings"] == 0
    close(live_locations, staff)

    scanned = client.post(SCAN, json={"location_id": "paragould"}, headers=staff)
    assert scanned.status_code == 200 and scanned.json == {"disrupted_bookings": 1, "cleared_bookings": 0,
                                                           "still_disrupted": 0}
    listed = client.get(DISRUPTED, headers=staff).json["bookings"]
    assert [b["id"] for b in listed] == [booking["id"]]
    disruption = listed[0]["disruption"]
    assert listed[0]["status"] == "confirmed"  # nothing is cancelled for the patient
    assert disruption["reason"] == "closure" and "2026-12-07" in disruption["detail"]
    assert disruption["options"] == {"reschedule": True, "telehealth": False, "cancel": True}
    assert disruption["detected_at"].endswith("+00:00")
    assert client.get(f"/api/v1/bookings/{elsewhere['id']}", headers=staff).json["disruption"] is None

    again = client.post(SCAN, json={"location_id": "paragould"}, headers=staff).json  # a redelivered event
    assert again == {"disrupted_bookings": 0, "cleared_bookings": 0, "still_disrupted": 1}
    assert events_of(db, booking["id"]).count("booking.disrupted") == 1

    moved = client.post(f"/api/v1/bookings/{booking['id']}/reschedule", headers=staff,
                        json={"start": "2026-12-14T09:00:00-06:00"})
    assert moved.status_code == 200 and moved.json["disruption"] is None
    assert client.get(DISRUPTED, headers=staff).json["bookings"] == []


def test_a_booking_that_fits_again_is_cleared_with_its_event(client, book, staff, live_locations, db):
    booking = book(provider="miguel-santos", location="paragould", start=PARAGOULD_MONDAY)
    closure = close(live_locations, staff)
    client.post(SCAN, json={"location_id": "paragould"}, headers=staff)
    deleted = requests.delete(f"{live_locations}/api/v1/locations/paragould/closures/{closure['id']}",
                              headers=staff, timeout=10)
    assert deleted.status_code == 204
    assert client.post(SCAN, json={"location_id": "paragould"}, headers=staff).json["cleared_bookings"] == 1
    assert client.get(f"/api/v1/bookings/{booking['id']}", headers=staff).json["disruption"] is None
    assert events_of(db, booking["id"])[-2:] == ["booking.disrupted", "booking.disruption_cleared"]


def test_a_schedule_moved_to_telehealth_offers_telehealth_and_the_patient_takes_it(client, book, staff,
                                                                                   live_locations):
    """Hannah Brooks's Monday moves from Jonesboro to telehealth: the same time is bookable by telehealth."""
    booking = book(provider="hannah-brooks", location="jonesboro", start=PARAGOULD_MONDAY)
    day = [{"open": "08:00", "close": "17:00"}]
    changed = requests.patch(f"{live_locations}/api/v1/providers/hannah-brooks", headers=staff, timeout=10,
                             json={"schedules": {"jonesboro": {"wed": day, "fri": day},
                                                 "telehealth": {"mon": day, "tue": [{"open": "17:00",
                                                                                     "close": "20:00"}]}}})
    assert changed.status_code == 200, changed.text
    assert client.post(SCAN, json={"provider_id": "hannah-brooks"}, headers=staff).json["disrupted_bookings"] == 1
    shown = client.get(f"/api/v1/bookings/{booking['id']}", headers={"X-Manage-Token": booking["manage_token"]}).json
    assert shown["disruption"]["reason"] == "provider_schedule"
    assert shown["disruption"]["options"]["telehealth"] is True

    moved = client.post(f"/api/v1/bookings/{booking['id']}/reschedule", headers={"X-Manage-Token": booking["manage_token"]},
                        json={"start": PARAGOULD_MONDAY, "modality": "telehealth", "patient_state": "AR"})
    assert moved.status_code == 200, moved.json
    assert (moved.json["modality"], moved.json["location_id"], moved.json["disruption"]) == ("telehealth", "telehealth", None)
    assert moved.json["start"] == "2026-12-07T09:00:00-06:00"


def test_a_telehealth_move_the_provider_cannot_make_is_refused_and_changes_nothing(client, book, staff):
    booking = book(provider="miguel-santos", location="paragould", start=PARAGOULD_MONDAY)
    for body in ({"start": PARAGOULD_MONDAY, "modality": "telehealth"},  # Miguel has no telehealth hours
                 {"start": PARAGOULD_MONDAY, "modality": "video"}):       # not a modality
        answer = client.post(f"/api/v1/bookings/{booking['id']}/reschedule", headers=staff, json=body)
        assert answer.status_code == 422 and answer.content_type == "application/problem+json", answer.json
    assert client.get(f"/api/v1/bookings/{booking['id']}", headers=staff).json["location_id"] == "paragould"


def test_the_scan_is_for_staff_and_checks_its_input(client, clinician):
    assert client.post(SCAN, json={}).status_code == 401
    assert client.post(SCAN, json={}, headers=clinician("hannah-brooks")).status_code == 403
    assert client.get(DISRUPTED).status_code == 401


def test_bad_scan_input_is_a_problem(client, staff):
    answer = client.post(SCAN, json={"location_id": "x" * 65}, headers=staff)
    assert answer.status_code == 422 and answer.content_type == "application/problem+json"
    assert client.get("/api/v1/bookings?disrupted=maybe", headers=staff).status_code == 422


def test_the_worker_disrupts_on_the_closures_event_once_however_often_it_comes(settings, test_env, client, book,
                                                                                 staff, live_locations, db):
    """The reliable path: location.updated consumed by the bookings worker re-judges that location's bookings;
    the same event delivered again publishes nothing more."""
    from clinic_common.events import Event

    from bookings.config import load_booking_settings
    from bookings.events.handlers import make_handler

    booking = book(provider="miguel-santos", location="paragould", start=PARAGOULD_MONDAY)
    close(live_locations, staff)

    class Mongo:  # the worker's LazyMongo, as far as the handler uses it
        def __init__(self, database):
            self.db = database

    handle = make_handler(Mongo(db.client[db.name]), load_booking_settings({**test_env, "LOCATIONS_URL": live_locations}))
    event = Event(type="location.updated", data={"id": "paragould"})
    handle(event)
    handle(event)  # redelivered
    assert events_of(db, booking["id"]).count("booking.disrupted") == 1
    assert client.get(f"/api/v1/bookings/{booking['id']}", headers=staff).json["disruption"]["reason"] == "closure"


def test_the_staff_answer_counts_what_the_change_disrupted_even_when_the_worker_marked_it_first(
        client, book, staff, live_locations):
    """The staff write's scan and the worker's scan of the same change race; whichever comes second finds the
    booking already disrupted. With `since` (when the write began) bookings disrupted since then count as
    this change's, so the answer says 1, not 0; one disrupted before then is still someone else's."""
    booking = book(provider="miguel-santos", location="paragould", start=PARAGOULD_MONDAY)
    close(live_locations, staff)
    assert client.post(SCAN, json={"location_id": "paragould"}, headers=staff).json["disrupted_bookings"] == 1
    detected = client.get(f"/api/v1/bookings/{booking['id']}", headers=staff).json["disruption"]["detected_at"]

    before, after = "2000-01-01T00:00:00Z", "2100-01-01T00:00:00Z"
    assert client.post(SCAN, json={"location_id": "paragould", "since": before}, headers=staff).json == {
        "disrupted_bookings": 1, "cleared_bookings": 0, "still_disrupted": 0}
    assert client.post(SCAN, json={"location_id": "paragould", "since": after}, headers=staff).json == {
        "disrupted_bookings": 0, "cleared_bookings": 0, "still_disrupted": 1}
    assert client.post(SCAN, json={"location_id": "paragould", "since": detected}, headers=staff).json[
        "disrupted_bookings"] == 1
    assert client.post(SCAN, json={"since": "yesterday"}, headers=staff).status_code == 422
