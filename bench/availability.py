"""Figure 4 (issue 4): availability p50 at 50 providers x 14 days ÷ 1 provider x 1 day, warm and cold.

Bookings caches working windows per process, so a first call for a query (cold: one HTTP call to
locations, then the ledger) and a repeated one (warm: the ledger only) are different costs and are
reported apart. Each size has its own synthetic practice; locations is served over HTTP in this
process, bookings is driven through its Flask test client, both on the stack's datastore. The two
sizes alternate, so a slow spell on the machine weighs on both.
"""
from __future__ import annotations

import time
from datetime import timedelta

from bench.dates import first_bookable_monday, span
from bench.inproc import SyntheticPractice
from bench.load import interleaved_latencies, p50
from bench.report import Figure

SAMPLES, WARMUP, COLD = 30, 3, 5
SMALL, LARGE = (1, 1), (50, 14)  # (providers, days)
WHERE = ("GET /api/v1/availability?service_id=&location_id=&from=&to=, bookings app in this process (Flask test "
         "client) calling a locations app served over HTTP by werkzeug in this process (LOCATIONS_URL), one "
         "synthetic practice per size built by bench.synthetic.build_practice, on the stack's datastore")


class Probe:
    """One size: its bookings app, and a GET of availability over `days` from a given Monday."""

    def __init__(self, practice: SyntheticPractice, days: int):
        self.days = days
        self.client = practice.bookings_app(practice.served_locations().url).test_client()

    def get(self, first):
        from bench.synthetic import LOCATION_ID, SERVICE_ID

        first_day, last_day = span(first, self.days)
        response = self.client.get(f"/api/v1/availability?service_id={SERVICE_ID}&location_id={LOCATION_ID}"
                                   f"&from={first_day}&to={last_day}")
        assert response.status_code == 200, (response.status_code, response.get_data(as_text=True)[:300])
        return response


def measure(stack, seconds: float) -> list[Figure]:
    monday = first_bookable_monday()
    with SyntheticPractice(stack, SMALL[0]) as small_practice, SyntheticPractice(stack, LARGE[0]) as large_practice:
        probes = {"small": Probe(small_practice, SMALL[1]), "large": Probe(large_practice, LARGE[1])}
        for probe in probes.values():
            probe.get(monday - timedelta(days=1))  # a Sunday: opens connections, caches nothing measured below
        cold = _cold(probes, monday)
        slots = {name: len(probe.get(monday).json["slots"]) for name, probe in probes.items()}
        assert all(slots.values()), f"no free slot from {monday}: the figure would be meaningless ({slots})"
        warm_calls = {name: (lambda probe=probe: probe.get(monday)) for name, probe in probes.items()}
        interleaved_latencies(warm_calls, WARMUP, budget_s=seconds)
        warm = interleaved_latencies(warm_calls, SAMPLES, budget_s=2 * seconds)
    return _figures({name: p50(t) for name, t in warm.items()}, {name: p50(t) for name, t in cold.items()},
                    slots, len(warm["small"]))


def _cold(probes: dict, monday) -> dict[str, list[float]]:
    """First calls for COLD date ranges of the same shape, one week apart, sizes alternating."""
    timings = {name: [] for name in probes}
    for week in range(1, COLD + 1):
        for name in (list(probes) if week % 2 else list(probes)[::-1]):
            started = time.perf_counter()
            probes[name].get(monday + timedelta(weeks=week))
            timings[name].append(time.perf_counter() - started)
    return timings


def _figures(warm: dict, cold: dict, slots: dict, samples: int) -> list[Figure]:
    warm_how = (f"warm p50 {warm['large'] * 1000:.1f} ms at {LARGE[0]} providers x {LARGE[1]} days ({slots['large']} "
                f"slots) / {warm['small'] * 1000:.1f} ms at {SMALL[0]} provider x {SMALL[1]} day ({slots['small']} "
                f"slots); {samples} sequential samples each of a cached query, sizes alternating, after warm-up; "
                f"{WHERE}")
    cold_how = (f"cold p50 {cold['large'] * 1000:.1f} ms / {cold['small'] * 1000:.1f} ms; first call for each of "
                f"{COLD} distinct date ranges of the same shape (one week apart), connections already open; "
                f"cold ÷ warm at {LARGE[0]}x{LARGE[1]}: {cold['large'] / warm['large']:.1f}")
    return [Figure("availability", "availability ratio (warm)", warm["large"] / warm["small"], warm_how,
                   op="<=", target=6),
            Figure("availability", "availability ratio (cold, first call)", cold["large"] / cold["small"], cold_how,
                   op="<=", target=6, graded=False)]
