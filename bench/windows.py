"""Figure 3 (issue 3): working-windows p50 at 50 providers x 31 days ÷ 1 provider x 1 day.

Each size gets its own synthetic practice in its own databases (inproc.SyntheticPractice), and the
locations app is driven through its Flask test client: no HTTP transport, whose fixed cost would
only flatter the ratio. Sequential calls after warm-up, so p50 is the work of one request; the two
sizes alternate, so a slow spell on the machine weighs on both.
"""
from __future__ import annotations

from bench.dates import first_bookable_monday, span
from bench.inproc import SyntheticPractice
from bench.load import interleaved_latencies, p50
from bench.report import Figure

SAMPLES, WARMUP = 30, 3
SMALL, LARGE = (1, 1), (50, 31)  # (providers, days)


def measure(stack, seconds: float) -> list[Figure]:
    with SyntheticPractice(stack, SMALL[0]) as small, SyntheticPractice(stack, LARGE[0]) as large:
        calls = {"small": _call(small, SMALL[1]), "large": _call(large, LARGE[1])}
        interleaved_latencies(calls, WARMUP, budget_s=seconds)
        timings = interleaved_latencies(calls, SAMPLES, budget_s=2 * seconds)
    small_p50, large_p50 = p50(timings["small"]), p50(timings["large"])
    how = (f"p50 {large_p50 * 1000:.1f} ms at {LARGE[0]} providers x {LARGE[1]} days / p50 {small_p50 * 1000:.1f} ms "
           f"at {SMALL[0]} provider x {SMALL[1]} day; {len(timings['small'])} sequential samples each, sizes "
           "alternating, after warm-up; GET /api/v1/locations/synthetic-clinic/working-windows?from=&to=&service_id=, "
           "locations app in this process through its Flask test client on the stack's datastore, one practice per "
           "size built by bench.synthetic.build_practice in its own databases (own MONGO_DB_PREFIX)")
    return [Figure("windows", "working-windows ratio", large_p50 / small_p50, how, op="<=", target=4)]


def _call(practice: SyntheticPractice, days: int):
    """A timed call of the query, checked once first: a wrong answer would make the figure meaningless."""
    from bench.synthetic import windows_path

    client = practice.locations_app().test_client()
    path = windows_path(*span(first_bookable_monday(), days))
    first = client.get(path)
    assert first.status_code == 200, (first.status_code, first.get_data(as_text=True)[:300])
    assert len(first.json["providers"]) == practice.providers, "the synthetic practice is not what was built"

    def call():  # the client's JSON parsing stays outside the timing
        assert client.get(path).status_code == 200

    return call
