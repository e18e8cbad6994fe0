"""`python -m prove [scenario …]`: run the scenarios (all by default), one line each, then the table again.

Exit code 0 only when every scenario passed. `python -m prove --list` names them.
"""
from __future__ import annotations

import sys
import time

from prove.runner import HEADER, SCENARIOS, run


def main(argv: list[str]) -> int:
    if argv[:1] == ["--list"]:
        print("\n".join(SCENARIOS))
        return 0
    unknown = [name for name in argv if name not in SCENARIOS]
    if unknown:
        print(f"unknown scenario(s) {unknown}; known: {', '.join(SCENARIOS)}", file=sys.stderr)
        return 2
    began, results = time.monotonic(), []
    print(HEADER, flush=True)
    for name in argv or list(SCENARIOS):
        results.append(run(name))
        print(results[-1].report(), flush=True)
    print(f"\n{HEADER}")
    for result in results:
        print(result.line() + ("" if result.passed else "   FAIL"))
    failed = [r.name for r in results if not r.passed]
    print(f"\n{len(results) - len(failed)}/{len(results)} passed in {time.monotonic() - began:.0f} s"
          + (f"; failed: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
