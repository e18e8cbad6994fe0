"""Combined availability figure (issue 10): GET /availability/combined for 14 days at a clinic (therapy with
medication management) ÷ GET /availability for 14 days of therapy alone at the same clinic, p50 each.

One synthetic practice (bench.synthetic.build_practice, then add_medication for the prescribers) in its
own databases on the stack's datastore; locations is served over HTTP in this process and bookings is
driven through its Flask test client, as for the availability figure (bench/availability.py). Both
queries are warm (the schedule cache filled, so each costs bookings its epoch read and one ledger
read) and sampled alternately, so a slow spell on the machine weighs on both.
"""
from __future__ import annotations

from datetime import timedelta

from pymongo import MongoClient

from bench.dates import first_bookable_monday, span
from bench.inproc import SyntheticPractice
from bench.load import interleaved_latencies, p50
from bench.report import Figure

SAMPLES, WARMUP, DAYS = 30, 3, 14
THERAPISTS, PRESCRIBERS = 10, 4
TARGET = 3


def measure(stack, seconds: float) -> list[Figure]:
    from bench.synthetic import LOCATION_ID, MEDICATION_SERVICE_ID, SERVICE_ID, add_medication

    monday = first_bookable_monday()
    first, last = span(monday, DAYS)
    with SyntheticPractice(stack, THERAPISTS) as practice:
        client = MongoClient(stack.mongo_url, tz_aware=True, serverSelectionTimeoutMS=5000)
        try:
            add_medication(client[f"{practice.prefix}_locations"], PRESCRIBERS)
        finally:
            client.close()
        bookings = practice.bookings_app(practice.served_locations().url).test_client()
        where = f"location_id={LOCATION_ID}&from={first}&to={last}"
        paths = {"single": f"/api/v1/availability?service_id={SERVICE_ID}&{where}",
                 "combined": f"/api/v1/availability/combined?service_ids={SERVICE_ID},{MEDICATION_SERVICE_ID}&{where}"}
        sunday = monday - timedelta(days=1)  # opens connections, caches nothing measured below
        bookings.get(f"/api/v1/availability?service_id={SERVICE_ID}&location_id={LOCATION_ID}&from={sunday}&to={sunday}")
        answers = {name: _checked(bookings, path) for name, path in paths.items()}
        assert answers["single"]["slots"] and answers["combined"]["options"], \
            f"nothing free from {first}: the figure would be meaningless"
        calls = {name: (lambda path=path: _checked(bookings, path, parse=False)) for name, path in paths.items()}
        interleaved_latencies(calls, WARMUP, budget_s=seconds)
        timings = interleaved_latencies(calls, SAMPLES, budget_s=2 * seconds)
    single, combined = p50(timings["single"]), p50(timings["combined"])
    how = (f"p50 {combined * 1000:.1f} ms for GET /api/v1/availability/combined?service_ids=therapy,medication "
           f"({len(answers['combined']['options'])} options{', truncated' if answers['combined']['truncated'] else ''}) "
           f"/ p50 {single * 1000:.1f} ms for GET /api/v1/availability?service_id=therapy "
           f"({len(answers['single']['slots'])} slots), both over {DAYS} days from {first} at one clinic of "
           f"{THERAPISTS} therapists and {PRESCRIBERS} prescribers (bench.synthetic build_practice + add_medication, "
           f"own databases on the stack's datastore); {len(timings['single'])} sequential samples each, alternating, "
           f"warm, after warm-up; bookings app in this process (Flask test client) calling a locations app served "
           f"over HTTP by werkzeug in this process")
    return [Figure("combined", "combined availability ratio (14 days, ÷ one service)", combined / single, how,
                   op="<=", target=TARGET)]


def _checked(client, path: str, parse: bool = True):
    response = client.get(path)
    assert response.status_code == 200, (response.status_code, response.get_data(as_text=True)[:300])
    return response.json if parse else None
