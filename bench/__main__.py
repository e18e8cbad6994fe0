"""`python -m bench [--only hop,memory] [--seconds 5]`: start an isolated stack, print each figure, stop it.

Exit code 0 when every chosen figure was measured and the stack stopped leaving nothing behind;
a figure that misses its target is a result, not a failure of the bench.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
import traceback

from clinic_common.devstack.stack import find_repo_root

from bench import cpu
from bench import stack as stacks
from bench.figures import FIGURES, PLANNED, select
from bench.report import Figure, summary


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--only", help=f"comma-separated, from: {', '.join([*FIGURES, *PLANNED])}")
    parser.add_argument("--seconds", type=float, default=5.0, help="each load or sampling phase (default 5)")
    args = parser.parse_args(argv)
    if not 0.5 <= args.seconds <= 30:  # the whole bench should stay within minutes on a 2-core machine
        parser.error("--seconds must be between 0.5 and 30")
    return args


def say(text: str) -> None:
    print(text, flush=True)


def run_figure(key: str, stack, seconds: float, ran_before: bool) -> list[Figure]:
    """One module's figures; an error becomes a NOT MEASURED line, and the other figures still run."""
    try:
        if key == "memory":
            when = "measured after the figures above ran" if ran_before else "measured on an idle stack"
            return FIGURES[key](stack, seconds, when=when)
        return FIGURES[key](stack, seconds)
    except Exception as exc:  # a bench that dies on one figure would hide all the others
        traceback.print_exc(file=sys.stderr)
        return [Figure(key, f"{key} figure", None, f"failed: {type(exc).__name__}: {exc}"[:400])]


def wait_quiet(stack) -> None:
    """Each figure starts on a quiet stack: the previous one's leftover work would slow it down."""
    waited, busy = cpu.settle(stack.marker)
    if waited is None:
        say(f"(the stack did not go quiet within {cpu.QUIET_MAX_S:.0f} s; measuring anyway. CPU meanwhile: {busy})")
    elif waited > 2.5:
        say(f"(waited {waited:.0f} s for the stack to go quiet after the previous figure; CPU meanwhile: {busy})")


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        keys, planned = select(args.only)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    began = time.monotonic()
    for key in planned:
        say(f"{key}: not measured yet (planned: {PLANNED[key]})")
    if not keys:
        return 0
    say("Starting an isolated stack as `make run` does (own ports, in-memory datastore, own prefix) …")
    try:
        stack = stacks.start(find_repo_root())
    except RuntimeError as exc:
        print(f"Cannot benchmark: {exc}", file=sys.stderr)
        return 1
    say(f"Stack healthy after {time.monotonic() - began:.0f} s; gateway at {stack.url('gateway')}.")
    say("Datastore: the mongoeco emulator (slow): read each figure as a ratio taken within this run.")
    figures, neighbours = [], cpu.Neighbours(stack.marker)
    try:
        for n, key in enumerate(keys):
            wait_quiet(stack)
            for figure in run_figure(key, stack, args.seconds, ran_before=n > 0):
                figures.append(figure)
                say(figure.line())
        say(neighbours.report())
    finally:
        code = stacks.stop(stack)
    clean = code == 0 and not stack.leftovers
    say(f"stack stopped by SIGINT to its supervisor: exit code {code}, "
        f"{len(stack.leftovers)} leftover processes{' (killed by pid)' if stack.leftovers else ''}")
    say("")
    say(summary(figures))
    say(f"bench took {time.monotonic() - began:.0f} s in all (stack start and stop included)")
    if clean:
        shutil.rmtree(os.path.dirname(stack.log_path), ignore_errors=True)
    else:
        say(f"stack log kept at {stack.log_path}")
    measured = all(f.value is not None for f in figures)
    return 0 if clean and measured else 1


if __name__ == "__main__":
    sys.exit(main())
