"""Real Celery workers: `celery -A daye_relief worker` child processes on the real Redis broker, pointed at
the test database (the tests that use them commit for real: `django_db(transaction=True)`)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from benchmarks.workers import BeatProcess, WorkerProcess, database_url
from daye_relief.celery import app


def _forget_unacknowledged() -> None:
    """A killed worker's message stays unacknowledged in Redis and would come back to some later worker
    after the visibility timeout (an hour): not to a later test run's."""
    redis.Redis.from_url(settings.CELERY_BROKER_URL).delete("unacked", "unacked_index")


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator[Callable[[], WorkerProcess]]:
    """Starts a worker process (ready when returned); every one is stopped after the test."""
    app.control.purge()
    _forget_unacknowledged()
    started: list[WorkerProcess] = []

    def start() -> WorkerProcess:
        worker = WorkerProcess(database=database_url(connection.settings_dict), log_dir=tmp_path)
        started.append(worker)
        worker.wait_ready()
        return worker

    def start_beat() -> BeatProcess:
        beat = BeatProcess(database=database_url(connection.settings_dict), log_dir=tmp_path)
        started.append(beat)
        beat.wait_ready()
        return beat

    start.beat = start_beat  # type: ignore[attr-defined]
    yield start
    for worker in started:
        worker.stop()
    app.control.purge()
    _forget_unacknowledged()


def wait_until(condition: Callable[[], object], seconds: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"not within {seconds}s: {what}")
