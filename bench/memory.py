"""Figure 2 (issue 2): resident memory of every process of the stack, found by the stack's env marker.

VmRSS from /proc/<pid>/status, named from the command line. The supervisor and the embedded mongo
are make-run stand-ins (compose and k8s run neither), so they are reported but not graded.
"""
from __future__ import annotations

from bench.report import Figure
from bench.stack import processes_with_marker

LIMIT_MB = 120.0
DEV_ONLY = {"clinic_common.devmongo": "embedded mongo (dev-only stand-in, not deployable)",
            "clinic_common.devstack.run": "make-run supervisor (dev-only, not deployable)"}


def measure(stack, _seconds: float, when: str = "") -> list[Figure]:
    found = [(process_name(pid), _rss_mb(pid), pid) for pid in processes_with_marker(stack.marker)]
    rows = sorted(row for row in found if row[1] is not None)  # None: exited meanwhile
    lines = [Figure("memory", f"RSS {name} [pid {pid}]", rss, "VmRSS", unit="MB", op="<", target=LIMIT_MB,
                    graded=not _dev_only(name), detail=True) for name, rss, pid in rows]
    deployable = [(rss, name) for name, rss, _pid in rows if not _dev_only(name)]
    largest = max(deployable, default=(None, "none found"))
    how = (f"largest of {len(deployable)} deployable processes: {largest[1]}; VmRSS from /proc/<pid>/status "
           f"of every process carrying CLINIC_STACK_ID; {when or 'measured after the figures above ran'}")
    return [*lines, Figure("memory", "largest process RSS", largest[0], how, unit="MB", op="<", target=LIMIT_MB)]


def _dev_only(name: str) -> bool:
    return name in DEV_ONLY.values()


def _cmdline(pid: int) -> list[str]:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as raw:
            return [part.decode(errors="replace") for part in raw.read().split(b"\0") if part]
    except OSError:
        return []


def _ppid(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return int(stat.read().rsplit(b")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def _rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        return None
    return None


def process_name(pid: int) -> str:
    return name_of(_cmdline(pid), _cmdline(_ppid(pid)))


def name_of(argv: list[str], parent_argv: list[str]) -> str:
    """'bookings gunicorn worker', 'bookings.relay', ...: gunicorn workers share their master's command line."""
    if argv and argv[0].startswith("gunicorn: "):  # with setproctitle: "gunicorn: worker [bookings.wsgi:app]"
        role, app = argv[0].split()[1], argv[0].split("[")[-1].split(".wsgi")[0]
        return f"{app} gunicorn {role}"
    module = argv[argv.index("-m") + 1] if "-m" in argv[:-1] else ""
    if module in DEV_ONLY:
        return DEV_ONLY[module]
    if module == "gunicorn":
        app = next((a.split(".wsgi")[0] for a in argv if ".wsgi:" in a), "?")
        return f"{app} gunicorn {'worker' if 'gunicorn' in parent_argv else 'master'}"
    return module or " ".join(argv)[:60]
