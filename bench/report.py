"""How a figure is printed: one plain line each, how it was measured, its target, then a summary table."""
from __future__ import annotations

import operator
from dataclasses import dataclass

COMPARE = {">=": operator.ge, "<=": operator.le, "<": operator.lt}


@dataclass
class Figure:
    key: str           # the --only name of the module that measured it
    name: str          # e.g. "gateway hop ratio"
    value: float | None  # None: could not be measured (see how)
    how: str           # the measurement, in words and the raw numbers behind the ratio
    unit: str = ""
    op: str = ""       # ">=", "<=" or "<"; "" for an informational line without a target
    target: float | None = None
    graded: bool = True  # False: reported for information, never a pass or fail (e.g. a dev-only process)
    detail: bool = False  # a line behind a figure (one process's RSS): printed, left out of the summary

    @property
    def verdict(self) -> str:
        if self.value is None:
            return "NOT MEASURED"
        if not self.op or not self.graded:
            return "info"
        return "ok" if COMPARE[self.op](self.value, self.target) else "MISSED"

    def value_text(self) -> str:
        if self.value is None:
            return "n/a"
        return f"{self.value:.2f}{(' ' + self.unit) if self.unit else ''}"

    def target_text(self) -> str:
        return f"{self.op} {self.target:g}{(' ' + self.unit) if self.unit else ''}" if self.op else ""

    def line(self) -> str:
        target = f"  target {self.target_text()}" if self.op else ""
        suffix = "" if self.graded else "  (not graded)"
        return f"{self.name}: {self.value_text()}  ({self.how}){target}{suffix}"


def summary(figures: list[Figure]) -> str:
    """The graded figures only: per-process detail lines stay above the table."""
    rows = [(f.name, f.value_text(), f.target_text(), f.verdict) for f in figures
            if (f.op and f.graded and not f.detail) or f.value is None]
    header = ("figure", "value", "target", "verdict")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(4)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    rule = "  ".join("-" * w for w in widths)
    return "\n".join([fmt.format(*header), rule, *(fmt.format(*r) for r in rows)])
