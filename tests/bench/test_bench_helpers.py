"""The bench's pure helpers (no stack, no I/O): quick enough for `make test-unit`."""
import queue
from datetime import date

import pytest

from bench.dates import first_bookable_monday, span
from bench.figures import FIGURES, PLANNED, select
from bench.load import closed_loop, interleaved_latencies, only_local
from bench.memory import name_of
from bench.report import Figure, summary

GUNICORN = ["/v/bin/python", "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "bookings.wsgi:app"]


@pytest.mark.parametrize("argv, parent, name", [
    (GUNICORN, ["/v/bin/python", "-m", "clinic_common.devstack.run"], "bookings gunicorn master"),
    (GUNICORN, GUNICORN, "bookings gunicorn worker"),
    (["gunicorn: worker [gateway.wsgi:app]"], [], "gateway gunicorn worker"),
    (["/v/bin/python", "-m", "bookings.relay"], [], "bookings.relay"),
    (["/v/bin/python", "-m", "clinic_common.devmongo", "--port", "1"], [],
     "embedded mongo (dev-only stand-in, not deployable)"),
])
def test_processes_are_named_from_their_command_line(argv, parent, name):
    assert name_of(argv, parent) == name


def test_dates_are_mondays_past_the_notice_and_spans_include_both_ends():
    monday = first_bookable_monday(date(2026, 11, 22))  # a Sunday
    assert monday == date(2026, 11, 30)
    assert first_bookable_monday(date(2026, 11, 27)) == date(2026, 11, 30)
    assert span(monday, 31) == ("2026-11-30", "2026-12-30")


def test_selection_keeps_run_order_and_knows_planned_figures():
    assert select("memory,hop") == (["hop", "memory"], [])
    assert select("pace,ops")[0] == ["ops", "pace"]
    assert select(None) == (list(FIGURES), [])
    assert select("ops") == (["ops"], []) and "ops" not in PLANNED
    with pytest.raises(ValueError):
        select("nonsense")


def test_load_goes_to_this_machine_only():
    assert only_local("http://127.0.0.1:8080/x")
    with pytest.raises(ValueError):
        only_local("http://example.com/x")


def test_verdicts_and_summary_leave_out_detail_lines():
    figures = [Figure("hop", "gateway hop ratio", 0.62, "how", op=">=", target=0.5),
               Figure("memory", "RSS x", 130.0, "VmRSS", unit="MB", op="<", target=120, detail=True),
               Figure("ops", "datastore operations per booking", None, "failed")]
    assert [f.verdict for f in figures] == ["ok", "MISSED", "NOT MEASURED"]
    assert figures[0].line() == "gateway hop ratio: 0.62  (how)  target >= 0.5"
    table = summary(figures)
    assert "gateway hop ratio" in table and "NOT MEASURED" in table and "RSS x" not in table


def test_interleaving_alternates_the_order_so_drift_weighs_on_both():
    order = []
    timings = interleaved_latencies({"a": lambda: order.append("a"), "b": lambda: order.append("b")}, 3, 5)
    assert order == ["a", "b", "b", "a", "a", "b"] and [len(t) for t in timings.values()] == [3, 3]


def test_closed_loop_counts_statuses_and_stops_clients_with_nothing_left():
    left = queue.SimpleQueue()
    for n in range(5):
        left.put(n)

    def call(_session, _n):
        try:
            left.get_nowait()
            return 201
        except queue.Empty:
            return None

    outcome = closed_loop(2, 0.3, call)
    assert outcome.statuses == {201: 5} and outcome.rate == pytest.approx(5 / 0.3)
