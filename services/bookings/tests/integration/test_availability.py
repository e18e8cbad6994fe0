"""GET /availability: the real schedules, the ledger, and a constant cost whatever the number of providers."""
import uuid

import pytest
from pymongo import MongoClient, monitoring

from clinic_common.mongo import LazyMongo

from bookings import create_app


def _get(client, **params):
    query = "&".join(f"{k}={v}" for k, v in {"service_id": "therapy-cbt", "location_id": "jonesboro",
                                               "from": "2026-12-07", "to": "2026-12-07", **params}.items())
    return client.get(f"/api/v1/availability?{query}")


def test_slots_carry_provider_location_modality_and_local_offsets(client, book):
    book()
    slots = _get(client, provider_id="hannah-brooks").json["slots"]
    assert slots[0] == {"start": "2026-12-07T08:00:00-06:00", "end": "2026-12-07T08:50:00-06:00",
                        "provider_id": "hannah-brooks", "location_id": "jonesboro", "modality": "in_person"}
    assert [s["start"][11:16] for s in slots] == ["08:00", "10:00", "11:00", "12:00", "13:00", "14:00", "15:00", "16:00"]


def test_a_booking_of_another_length_blocks_what_it_overlaps(client, book):
    book(service="intake", start="2026-12-07T13:00:00-06:00")
    starts = [s["start"][11:16] for s in _get(client, provider_id="hannah-brooks").json["slots"]]
    assert "13:00" not in starts and "12:00" in starts and "14:00" in starts


def test_language_and_licensure_filter_providers(client):
    spanish = _get(client, location_id="paragould", service_id="therapy-dbt", language="es",
                   **{"from": "2026-12-08", "to": "2026-12-08"}).json["slots"]
    assert {s["provider_id"] for s in spanish} == {"lucia-ramirez"}
    maryland = _get(client, location_id="telehealth", service_id="med-follow-up", patient_state="MD").json["slots"]
    assert {s["provider_id"] for s in maryland} == {"rachel-kim"} and maryland[0]["modality"] == "telehealth"


@pytest.mark.parametrize("params, field", [
    ({"to": "2027-01-07"}, "to"),                       # 32 days
    ({"to": "2026-12-06"}, "to"),
    ({"location_id": "telehealth"}, "patient_state"),
    ({"service_id": "no-such"}, "service_id"),
    ({"location_id": "nowhere"}, "location_id"),
])
def test_bad_queries_are_422(client, params, field):
    response = _get(client, **params)
    assert response.status_code == 422 and field in response.json["errors"], response.json


class Counter(monitoring.CommandListener):
    def __init__(self):
        self.names = []

    def started(self, event):
        if event.command_name not in ("hello", "isMaster", "ismaster", "ping", "endSessions"):
            self.names.append(event.command_name)

    def succeeded(self, event):
        pass

    def failed(self, event):
        pass


def _count(settings, make_app, serve, providers: int) -> tuple[list[str], int, int]:
    from locations import create_app as locations_app
    from bench.synthetic import LOCATION_ID, SERVICE_ID, build_practice

    prefix = f"a{uuid.uuid4().hex[:10]}"
    seeder = MongoClient(settings.mongo_url)
    build_practice(seeder[f"{prefix}_locations"], providers)
    seeder.close()
    calls = []
    locations = locations_app({**_env(settings), "MONGO_DB_PREFIX": prefix})
    locations.before_request(lambda: calls.append(1))
    counter = Counter()
    isolated = settings.with_overrides(mongo_db_prefix=prefix)
    mongo = LazyMongo(isolated, isolated.db_name("bookings"), "count", event_listeners=[counter])
    url = serve(locations).url
    client = make_app(create_app, deps={"mongo": mongo}, MONGO_DB_PREFIX=prefix, LOCATIONS_URL=url).test_client()
    path = f"/api/v1/availability?service_id={SERVICE_ID}&location_id={LOCATION_ID}&from=2026-12-07&to=2026-12-20"
    assert client.get(path).status_code == 200
    counter.names.clear()
    calls.clear()
    answer = client.get(path)
    locations.extensions["clinic"].close()
    return list(counter.names), len(calls), len(answer.json["slots"])


def _env(settings):
    return {"CLINIC_ENV": "development", "MONGO_URL": settings.mongo_url, "AMQP_URL": settings.amqp_url}


def test_availability_costs_the_same_few_commands_for_1_and_50_providers(settings, make_app, serve):
    one, calls_one, slots_one = _count(settings, make_app, serve, 1)
    fifty, calls_fifty, slots_fifty = _count(settings, make_app, serve, 50)
    assert slots_fifty == 50 * slots_one > 0
    assert one == fifty == ["find", "find"], fifty   # the schedule epoch and the ledgers
    assert calls_one == calls_fifty == 0              # the working windows came from the cache


def test_the_directly_serialized_answer_matches_its_documented_schema(client, book):
    from bookings.api.schemas import Availability

    book()
    body = _get(client, **{"to": "2026-12-11"}).json
    assert body["slots"] and Availability().validate(body) == {}


def test_a_saturday_clinic_opens_slots_for_the_providers_who_staff_it(client, db, live_locations, staff, booking_body):
    import requests

    from bookings.store.epoch import ScheduleEpoch

    saturday = {"from": "2026-12-12", "to": "2026-12-12"}
    assert _get(client, **saturday).json["slots"] == []
    opening = {**saturday, "reason": "saturday clinic", "intervals": [{"open": "09:00", "close": "13:00"}],
               "provider_ids": ["hannah-brooks"]}
    assert requests.post(f"{live_locations}/api/v1/locations/jonesboro/closures", json=opening, headers=staff,
                         timeout=10).status_code == 201
    ScheduleEpoch(db).bump()  # what the bookings worker does on location.updated (tested in test_schedule_changes)
    slots = _get(client, **saturday).json["slots"]
    assert [(s["start"][11:16], s["provider_id"]) for s in slots] == [
        ("09:00", "hannah-brooks"), ("10:00", "hannah-brooks"), ("11:00", "hannah-brooks"), ("12:00", "hannah-brooks")]
    booked = client.post("/api/v1/bookings", json=booking_body(start="2026-12-12T10:00:00-06:00"))
    assert booked.status_code == 201, booked.json
