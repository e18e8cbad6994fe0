"""Each scenario on a fresh stack of its own (a fault must not leak into the next one), turned into one line:

    scenario · bookings · 201 · lost · duplicated · double-booked · recovery s

and the verdict against the pass figures: 0 lost, 0 duplicated, 0 double-booked, recovery within 10 s of the
fault's end, and the scenario's own checks. The stack's log is kept when a scenario does not pass.
"""
from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field

from prove import audit, stack as stacks
from prove.scenarios import broker, crashes, edges, race

RECOVERY_LIMIT_S = 10.0
HEADER = "scenario · bookings · 201 · lost · duplicated · double-booked · recovery s"


@dataclass(frozen=True)
class Scenario:
    name: str
    run: object
    storage: str = "memory"
    amqp_query: str = ""


SCENARIOS = {s.name: s for s in (
    Scenario("hung-broker", broker.hung_broker),
    Scenario("broker-down-30s", broker.broker_down),
    Scenario("broker-flapping-3s", broker.broker_flapping),
    Scenario("worker-sigkill-3x", crashes.worker_killed),
    Scenario("datastore-sigkill", crashes.datastore_killed, storage="sqlite"),
    Scenario("bookings-master-sigkill", crashes.bookings_master_killed),
    Scenario("poison-events", edges.poison_events),
    Scenario("cancel-after-idle", broker.cancel_after_idle, amqp_query="heartbeat=5"),
    Scenario("slow-clients-200", edges.slow_clients),
    Scenario("race-60-one-slot", race.race),
)}


@dataclass
class Result:
    name: str
    bookings: int = 0
    created: int = 0
    lost: int = 0
    duplicated: int = 0
    repeats: int = 0
    double_booked: int = 0
    recovery_s: float | None = None
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    log_path: str = ""
    wall_s: float = 0.0

    def line(self) -> str:
        recovery = f"{self.recovery_s:.1f}" if self.recovery_s is not None else "never"
        return (f"{self.name} · {self.bookings} · {self.created} · {self.lost} · {self.duplicated} · "
                f"{self.double_booked} · {recovery}")

    @property
    def passed(self) -> bool:
        return not self.failures

    def report(self) -> str:
        lines = [self.line() + ("" if self.passed else "   FAIL")]
        lines += [f"    ! {text}" for text in self.failures] + [f"    - {text}" for text in self.notes]
        lines.append(f"    ({self.repeats} same-Message-ID repeats, {self.wall_s:.0f} s"
                     + (f", log kept at {self.log_path})" if self.log_path else ")"))
        return "\n".join(lines)


def run(name: str) -> Result:
    scenario, began = SCENARIOS[name], time.monotonic()
    result = Result(name)
    for attempt in (1, 2):  # a start that fails is retried once, and said so: it is not the scenario's fault
        try:
            stack = stacks.start(scenario.storage, scenario.amqp_query)
            break
        except RuntimeError as exc:
            (result.notes if attempt == 1 else result.failures).append(f"the stack did not start: {exc}"[-1500:])
    else:
        return result
    try:
        observed = scenario.run(stack)
        accepted = [b for b in observed.booked if b.status == 201]
        figures = audit.figures(stack, observed.booked, observed.cancelled)
        result.bookings, result.created = len(observed.booked), len(accepted)
        result.lost, result.duplicated, result.repeats = figures.lost, figures.duplicated, figures.repeats
        result.double_booked, result.recovery_s = figures.double_booked, observed.recovery_s
        result.failures = _verdict(result, observed) + figures.evidence[:8]
        result.notes += observed.notes + _answers(observed)
        if observed.waited:
            result.notes.append("recovery waited last for: " + "; ".join(observed.waited))
    except Exception as exc:  # a scenario that cannot finish is a failure to report, not a crash of the table
        result.failures.append(f"scenario raised {type(exc).__name__}: {exc}"[:600])
    finally:
        if stacks.stop(stack, keep_log=True) is None or stack.leftovers:
            result.notes.append(f"stop: {len(stack.leftovers)} leftover processes killed by marker")
        if result.passed:
            shutil.rmtree(stack.tmp, ignore_errors=True)
        else:
            result.log_path = stack.log_path
        result.wall_s = time.monotonic() - began
    return result


def _verdict(result: Result, observed) -> list[str]:
    failures = list(observed.failures)
    for figure in ("lost", "duplicated", "double_booked"):
        if getattr(result, figure):
            failures.append(f"{figure.replace('_', '-')}: {getattr(result, figure)}")
    if result.recovery_s is None or result.recovery_s > RECOVERY_LIMIT_S:
        failures.append(f"recovery {result.line().rsplit(' · ', 1)[1]} s (limit {RECOVERY_LIMIT_S:.0f} s)")
    return failures


def _answers(observed) -> list[str]:
    statuses = {}
    for booked in observed.booked:
        statuses[str(booked.status)] = statuses.get(str(booked.status), 0) + 1
    retried = [b.attempts for b in observed.booked if b.attempts > 1]
    return [f"answers: {statuses}; {len(retried)} bookings needed retries (at most {max(retried, default=1)} tries)"]
