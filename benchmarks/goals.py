"""The goals the issues set for the figures of `make bench` (issue 22's table, issue 21's journal), each
beside the ratio measured in the same run: printed after the report and written to the JSON."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .measure import Measurement


@dataclass(frozen=True)
class Goal:
    label: str
    measurement: str  # the Measurement's name; its ratio (value ÷ its baseline) is held to the goal
    bound: str  # "at most" or "at least"
    target: float


def _page(name: str) -> str:
    return f"lists: {name} p95"


GOALS = (
    Goal("household list / trivial page, town clerk", _page("household list, town clerk"), "at most", 2),
    Goal(
        "household list / trivial page, city reviewer", _page("household list, city reviewer"), "at most", 2
    ),
    Goal("name search / trivial page", _page("household list, city, name search"), "at most", 2),
    Goal("1-character name / trivial page", _page("household list, city, 1-character name"), "at most", 2),
    Goal("household number / trivial page", _page("household list, city, household number"), "at most", 2),
    Goal("full ID / trivial page", _page("household list, city, full ID"), "at most", 2),
    Goal("workbench / trivial page, town clerk", _page("case workbench, town clerk"), "at most", 2),
    Goal("workbench / trivial page, city reviewer", _page("case workbench, city reviewer"), "at most", 2),
    Goal(
        "public long-term list / trivial page",
        _page("public long-term list (largest village)"),
        "at most",
        2,
    ),
    Goal("warning list / trivial page, town clerk", _page("warning list, town clerk"), "at most", 2),
    Goal(
        "bulk re-evaluation / one SQL aggregate, one process",
        "bulk: reevaluation_execute wall time",
        "at most",
        5,
    ),
    Goal(
        "bulk re-evaluation / one SQL aggregate, 2 Celery workers",
        "bulk: Celery, 2 worker(s), wall time",
        "at most",
        3,
    ),
    Goal(
        "import / COPY into a table shaped like monitoring_sharedrow",
        "import: dataset_import_now beside the shaped COPY",
        "at least",
        0.40,
    ),
    Goal(
        "household list, journal on / off (issue 21)",
        "journal: household list, town clerk p95, journal on",
        "at most",
        1.10,
    ),
    Goal(
        "name search, journal on / off (issue 21)",
        "journal: household list, city, name search p95, journal on",
        "at most",
        1.10,
    ),
)


def assess(measurements: list[Measurement]) -> list[dict[str, Any]]:
    """Each goal with the ratio of its measurement in this run; `met` is None when it was not measured."""
    by_name = {m.name: m for m in measurements}
    assessed = []
    for goal in GOALS:
        measured = by_name.get(goal.measurement)
        ratio = measured.ratio if measured is not None else None
        met = None
        if ratio is not None:
            met = ratio <= goal.target if goal.bound == "at most" else ratio >= goal.target
        assessed.append(
            {
                "goal": goal.label,
                "measurement": goal.measurement,
                "ratio": ratio,
                "bound": goal.bound,
                "target": goal.target,
                "met": met,
            }
        )
    return assessed


def goals_report(assessed: list[dict[str, Any]]) -> str:
    width = max(len(item["goal"]) for item in assessed)
    lines = ["goals:"]
    for item in assessed:
        ratio = "not measured" if item["ratio"] is None else f"{item['ratio']:.3g}"
        sign = "≤" if item["bound"] == "at most" else "≥"
        verdict = {True: "met", False: "NOT MET", None: "—"}[item["met"]]
        lines.append(f"  {item['goal'].ljust(width)}  {ratio:>12}  goal {sign} {item['target']:g}  {verdict}")
    return "\n".join(lines)
