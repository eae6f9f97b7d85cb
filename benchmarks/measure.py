"""Measuring tools shared by the benchmarks: figures, peak memory, query counts and the report."""

from __future__ import annotations

import gc
import os
import resource
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

MIB = 1024 * 1024
# The run's start, shared with the child processes so that their progress lines count from it too.
_STARTED = float(os.environ.setdefault("BENCH_STARTED_AT", repr(time.time())))


@dataclass(frozen=True)
class Measurement:
    """One figure beside its baseline (measured in the same run). `ratio` is value ÷ baseline."""

    name: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    n: int | None = None  # households or snapshots the figure covers
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline == 0:
            return None
        return self.value / self.baseline

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": self.ratio}


def stderr(message: str) -> None:
    """Progress, with the seconds since the start, on stderr (stdout carries the report)."""
    sys.stderr.write(f"[{time.time() - _STARTED:7.1f}s] {message}\n")
    sys.stderr.flush()


def best_of(repeat: int, run: Callable[[], object]) -> float:
    """The shortest of `repeat` timed runs, in seconds (time.perf_counter)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def _rss_bytes() -> int:
    """The resident set size now: /proc/self/statm on Linux, else the peak so far."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return max_rss_bytes()


def max_rss_bytes() -> int:
    """The process's peak resident set size so far (getrusage ru_maxrss: KiB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


@dataclass
class MemoryWatch:
    """Peak RSS while a block runs, sampled from /proc/self/statm every `interval` seconds, beside the
    getrusage high-water mark. `growth` is the sampled peak minus the RSS when the block began; the
    ru_maxrss delta only shows growth beyond the process's earlier peak."""

    interval: float = 0.02
    start_rss: int = 0
    peak_rss: int = 0
    start_max_rss: int = 0
    end_max_rss: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    @property
    def growth(self) -> int:
        return max(self.peak_rss - self.start_rss, 0)

    @property
    def max_rss_delta(self) -> int:
        return self.end_max_rss - self.start_max_rss

    def _sample(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak_rss = max(self.peak_rss, _rss_bytes())

    @contextmanager
    def watch(self) -> Iterator[MemoryWatch]:
        gc.collect()
        self.start_rss = self.peak_rss = _rss_bytes()
        self.start_max_rss = max_rss_bytes()
        self._stop.clear()
        sampler = threading.Thread(target=self._sample, name="rss-sampler", daemon=True)
        sampler.start()
        try:
            yield self
        finally:
            self._stop.set()
            sampler.join()
            self.peak_rss = max(self.peak_rss, _rss_bytes())
            self.end_max_rss = max_rss_bytes()


class QueryCounter:
    """A `connection.execute_wrapper` that counts the statements sent (an executemany counts once) and
    adds up the time spent in them (with psycopg's client-side cursors, that includes fetching the rows
    into the client, but not turning them into model instances)."""

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
    ) -> Any:
        self.count += 1
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.1f}"
    return f"{value:,.3f}"


def report(measurements: list[Measurement]) -> str:
    """One line per measurement: name, N, value, unit, baseline, ratio (value ÷ baseline)."""
    header = ("measurement", "N", "value", "unit", "baseline", "ratio", "baseline is")
    rows = [
        (
            m.name,
            _number(m.n),
            _number(m.value),
            m.unit,
            _number(m.baseline),
            "—" if m.ratio is None else f"{m.ratio:,.4g}",
            m.baseline_name,
        )
        for m in measurements
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    right = {1, 2, 4, 5}

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i]) for i, cell in enumerate(cells)
        ).rstrip()

    rule = "  ".join("-" * width for width in widths)
    notes = [f"  [{m.name}] {m.note}" for m in measurements if m.note]
    return "\n".join(
        [line(header), rule, *(line(row) for row in rows), *(["notes:", *notes] if notes else [])]
    )
