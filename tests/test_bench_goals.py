"""`make bench` prints each goal of issue 22's table (and issue 21's journal) beside its ratio."""

from benchmarks.goals import GOALS, assess, goals_report
from benchmarks.measure import Measurement


def test_each_goal_is_met_or_not_or_not_measured():
    measurements = [
        Measurement("lists: household list, town clerk p95", 60.0, "ms", 30.0, "trivial page p95"),
        Measurement("lists: household list, city reviewer p95", 90.0, "ms", 30.0, "trivial page p95"),
        Measurement(
            "import: dataset_import_now beside the shaped COPY", 41.0, "rows/s", 100.0, "shaped COPY"
        ),
    ]
    assessed = {item["goal"]: item for item in assess(measurements)}
    assert len(assessed) == len(GOALS)
    assert assessed["household list / trivial page, town clerk"]["met"] is True
    assert assessed["household list / trivial page, city reviewer"]["met"] is False
    assert assessed["import / COPY into a table shaped like monitoring_sharedrow"]["met"] is True
    assert assessed["full ID / trivial page"]["met"] is None
    text = goals_report(list(assessed.values()))
    assert "NOT MET" in text
    assert "goal ≥ 0.4" in text
