"""Series preview figures (issue 10): datastore commands of one POST /series/preview, for 2 and for 26
weekly occurrences, and its p50 ÷ a one-day GET /availability p50.

The figure's own isolated stack talks to its datastore through the counting proxy (bench/wireproxy.py),
as the operations figure does (bench/datastore_ops.py): every command of every process is counted, by
collection and command. Caches are warm (both bookings workers asked each query several times first),
so what is counted is what a repeated preview costs: a cold one also asks locations for working
windows, whose own datastore reads would then be in the count too. Each size's previews run in a
window of their own; the idle background (relays polling, reminder checks), counted over an idle window
right after and scaled to the batch's length, is subtracted key by key.
The timing compares a 26-occurrence preview with a one-day availability request for the same
practice, provider and first day, through the gateway, interleaved (bench/load.py), warm.
"""
from __future__ import annotations

import time
from collections import Counter
from datetime import datetime, timedelta, timezone

import requests
from pymongo import MongoClient

from bench.datastore_ops import _wait_catalogue_announced, per_booking_rows
from bench.load import interleaved_latencies, only_local, p50
from bench.ownstack import own_stack
from bench.report import Figure
from bench.wire import Tally

PROVIDERS, SIZES, PREVIEWS, WARM_CALLS, IDLE_S = 5, (2, 26), 100, 8, 5.0
SAMPLES, WARMUP = 30, 3
SHOWN_FROM = 0.05
TARGET_COMMANDS, TARGET_RATIO = 4, 3


def measure(_shared_stack, seconds: float) -> list[Figure]:
    with own_stack(counted=True) as own:
        figures = _measure(own, seconds)
        figures[-1].how += f"; {own.cpu_note()}"
        return figures


def _measure(own, seconds: float) -> list[Figure]:
    probe = Probe(own.stack)
    _wait_catalogue_announced(own.stack)  # the practice's own events bump bookings' schedule epoch: done first
    for _ in range(WARM_CALLS):  # every bookings worker (2 by default) fills its schedule cache for each query
        for count in SIZES:
            probe.preview(count)
        probe.one_day()
    quiet = own.settle()
    counted = {count: _counted(own, lambda count=count: probe.preview(count), PREVIEWS) for count in SIZES}
    calls = {"preview": lambda: probe.preview(SIZES[-1]), "day": probe.one_day}
    interleaved_latencies(calls, WARMUP, budget_s=seconds)
    timings = interleaved_latencies(calls, SAMPLES, budget_s=2 * seconds)
    probe.close()
    return [*_command_figures(counted, own.stack.prefix, quiet), _ratio_figure(timings)]


class Probe:
    """The synthetic practice in the stack's locations database, and the two requests through the gateway."""

    def __init__(self, stack):
        from bench.synthetic import LOCATION_ID, SERVICE_ID, build_practice

        client = MongoClient(stack.mongo_url, tz_aware=True, serverSelectionTimeoutMS=5000)  # direct: not counted
        try:
            self.provider_id = build_practice(client[f"{stack.prefix}_locations"], PROVIDERS)[0]
        finally:
            client.close()
        self.base = only_local(stack.url("gateway")) + "/api/v1"
        self.session = requests.Session()
        self.where = {"service_id": SERVICE_ID, "location_id": LOCATION_ID, "provider_id": self.provider_id}
        self.start = self._first_slot()
        self.day = datetime.fromisoformat(self.start).date().isoformat()  # the clinic's date of the first visit

    def _first_slot(self) -> str:
        """The provider's first free slot at least two days ahead: all 26 weekly visits then fall inside the
        182-day series horizon, so every occurrence is judged in full (and none is refused outright)."""
        first = datetime.now(timezone.utc).date() + timedelta(days=2)
        answer = self._get("/availability", **self.where, **{"from": first.isoformat(),
                                                             "to": (first + timedelta(days=6)).isoformat()})
        assert answer["slots"], f"no free slot in the week from {first}: the figure would be meaningless"
        return answer["slots"][0]["start"]

    def preview(self, count: int) -> dict:
        body = {**self.where, "start": self.start, "every_weeks": 1, "count": count}
        response = self.session.post(self.base + "/series/preview", json=body, timeout=(2, 60))
        assert response.status_code == 200, (response.status_code, response.text[:300])
        answer = response.json()
        assert len(answer["occurrences"]) == count, answer
        return answer

    def one_day(self) -> dict:
        return self._get("/availability", **self.where, **{"from": self.day, "to": self.day})

    def _get(self, path: str, **params) -> dict:
        response = self.session.get(self.base + path, params=params, timeout=(2, 60))
        assert response.status_code == 200, (response.status_code, response.text[:300])
        return response.json()

    def close(self) -> None:
        self.session.close()


def _counted(own, call, times: int) -> dict:
    """Every command the stack sent while `call` ran `times` times in a row, net of the idle background: an idle
    window right after, at least IDLE_S long (the background is periodic: relays, reminder checks), scaled to the
    batch's length."""
    before, began = own.proxy.counts(), time.monotonic()
    for _ in range(times):
        call()
    batch, window_s = own.proxy.counts().minus(before), time.monotonic() - began
    idle_before, idle_began = own.proxy.counts(), time.monotonic()
    time.sleep(max(window_s, IDLE_S))
    idle, idle_s = own.proxy.counts().minus(idle_before), time.monotonic() - idle_began
    return {"net": batch.minus(_scaled(idle, window_s / idle_s)), "batch": batch, "idle": idle,
            "window_s": window_s, "idle_s": idle_s, "times": times}


def _scaled(tally: Tally, factor: float) -> Tally:
    return Tally(Counter({k: n * factor for k, n in tally.commands.items()}),
                 Counter({k: n * factor for k, n in tally.statements.items()}))


def _command_figures(counted: dict, prefix: str, quiet: str) -> list[Figure]:
    per_preview, steady, lines = {}, {}, []
    for count, c in counted.items():
        rows = per_booking_rows(c["net"], c["times"], prefix)
        per_preview[count] = sum(row[3] for row in rows)
        # what each preview sends (the background's leftovers are fractions of a command per preview)
        steady[count] = {f"{ns} {name}": round(trips) for ns, name, _ops, trips in rows if round(trips) >= 1}
        lines += [Figure("series", f"  per {count}-occurrence preview: {ns} {name}", trips,
                         f"commands; net over {c['times']} previews", detail=True)
                  for ns, name, _ops, trips in rows if abs(trips) >= SHOWN_FROM]
    small, large = (per_preview[n] for n in SIZES)
    windows = "; ".join(f"{n} occurrences: {sum(c['batch'].commands.values())} commands in {c['window_s']:.2f} s "
                        f"for {c['times']} previews, idle {sum(c['idle'].commands.values())} in {c['idle_s']:.1f} s"
                        for n, c in counted.items())
    same = "the same" if steady[SIZES[0]] == steady[SIZES[-1]] else "NOT the same"
    each = " / ".join(f"{n}: " + (", ".join(f"{key} x{times}" for key, times in sorted(steady[n].items())) or "none")
                      for n in SIZES)
    how = (f"{large:.2f} commands per 26-occurrence preview, {small:.2f} per 2-occurrence preview, the figure is "
           f"the larger; what each preview sends is {same} for both ({each}); POST /api/v1/series/preview through the gateway, weekly from one provider's first free "
           f"slot, {PROVIDERS}-provider synthetic practice, warm caches ({WARM_CALLS} calls of each query first); "
           f"every command of every process through a counting wire-protocol proxy in front of the emulator, net "
           f"of the idle background (an idle window after each size, scaled to its length, key by key: {windows}); "
           f"the figure's own isolated stack, quiet before ({quiet})")
    return [*lines, Figure("series", "series preview datastore commands (2 and 26 occurrences)",
                           max(small, large), how, op="<=", target=TARGET_COMMANDS)]


def _ratio_figure(timings: dict) -> Figure:
    preview, day = p50(timings["preview"]), p50(timings["day"])
    how = (f"p50 {preview * 1000:.1f} ms for POST /api/v1/series/preview of 26 weekly occurrences / p50 "
           f"{day * 1000:.1f} ms for GET /api/v1/availability of one day, same practice, provider and first day; "
           f"{len(timings['day'])} sequential samples each through the gateway, alternating, warm, after warm-up; "
           f"both on the counted stack (the proxy adds the same small cost to every datastore command)")
    return Figure("series", "series preview ratio (26 occurrences ÷ one-day availability)", preview / day, how,
                  op="<=", target=TARGET_RATIO)

