"""Which figures exist, in the order they run; `--only` picks among FIGURES by key.

The datastore-operations, pace and series figures each run their own stack (with an SMTP sink, and for
ops and series a counting proxy in front of the datastore), so their place in the order touches no other figure.
Memory runs last so it sees the processes after they have served the other figures' load
(caches filled, pools open), which is what a running clinic looks like.
"""
from __future__ import annotations

from bench import availability, combined, datastore_ops, disruption, hop, memory, pace, series, waitlist, windows

FIGURES = {  # key -> measure(stack, seconds) -> list[Figure]
    "hop": hop.measure,                    # 1. gateway hop ratio (issue 2)
    "windows": windows.measure,            # 3. working-windows ratio (issue 3)
    "availability": availability.measure,  # 4. availability ratio, warm and cold (issue 4)
    "ops": datastore_ops.measure,          # 5. datastore operations per booking, end to end (issue 9)
    "pace": pace.measure,                  # 6. notification backlog after a booking burst ÷ the burst (issue 9)
    "series": series.measure,              # 7. series preview: datastore commands, p50 ÷ one-day availability (issue 10)
    "combined": combined.measure,          # 8. combined availability ÷ single-service availability (issue 10)
    "waitlist": waitlist.measure,          # 9. waitlist: commands of one match (10 / 1,000 entries), offer email p50 (issue 11)
    "disruption": disruption.measure,      # 10. disruption scan: commands and HTTP calls for 10 / 100 bookings, email p50 (issue 12)
    "memory": memory.measure,              # 2. resident memory per process (issue 2)
}

# ---- FIGURES TO ADD LATER -------------------------------------------------------------------
# Each is a module bench/<key>.py with measure(stack, seconds) -> list[Figure] (bench.report),
# then one line in FIGURES above, before "memory". Until then `--only <key>` says it is planned.
PLANNED: dict[str, str] = {}
# ----------------------------------------------------------------------------------------------


def select(only: str | None) -> tuple[list[str], list[str]]:
    """(keys to run in FIGURES order, planned keys asked for); ValueError for a name that is neither."""
    if not only:
        return list(FIGURES), []
    wanted = [k.strip() for k in only.split(",") if k.strip()]
    unknown = [k for k in wanted if k not in FIGURES and k not in PLANNED]
    if unknown:
        raise ValueError(f"unknown figure {', '.join(unknown)}; choose from {', '.join([*FIGURES, *PLANNED])}")
    return [k for k in FIGURES if k in wanted], [k for k in wanted if k in PLANNED]
