"""Real Celery worker processes for the benchmark and the tests: `celery -A daye_relief worker`, started
as a child process against a given database and the Redis broker of the environment, stopped (or killed
with SIGKILL, as a machine failure would) by its process id."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def database_url(settings_dict: dict[str, Any]) -> str:
    """A DATABASE_URL for the database Django is connected to (the test database, say)."""
    user = settings_dict.get("USER") or "postgres"
    password = settings_dict.get("PASSWORD") or ""
    credentials = f"{user}:{password}" if password else user
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{credentials}@{host}:{port}/{settings_dict['NAME']}"


class WorkerProcess:
    """One `celery worker` child process with the solo pool (one task at a time, in its main process, so
    that one SIGKILL stops everything it was doing)."""

    READY = " ready."

    def __init__(self, *, database: str, log_dir: Path, name: str = "") -> None:
        self.name = name or f"w{uuid.uuid4().hex[:8]}"
        self.log_path = log_dir / f"celery-{self.name}.log"
        env = os.environ.copy()
        env["DATABASE_URL"] = database
        env.setdefault("DJANGO_SETTINGS_MODULE", "daye_relief.settings.test")
        command = [sys.executable, "-m", "celery", "-A", "daye_relief", *self.arguments()]
        log_dir.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(  # noqa: S603  (our own interpreter and module, no shell)
            command, cwd=PROJECT_ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT
        )

    def arguments(self) -> list[str]:
        return [
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            f"--hostname={self.name}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--prefetch-multiplier=1",
        ]

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.READY in self.log():
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"celery worker {self.name} exited:\n{self.log()}")
            time.sleep(0.1)
        raise RuntimeError(f"celery worker {self.name} not ready after {seconds}s:\n{self.log()}")

    def kill(self) -> None:
        """SIGKILL: nothing after it runs in the worker, as when its machine fails."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        """A warm shutdown (SIGTERM); SIGKILL if it does not end within 30 seconds."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()


class BeatProcess(WorkerProcess):
    """`celery beat` with the project's scheduler (django-celery-beat's DatabaseScheduler)."""

    READY = "beat: Starting..."

    def arguments(self) -> list[str]:
        return ["beat", "--loglevel=DEBUG", "--max-interval=1"]


@contextmanager
def workers(count: int, *, database: str, log_dir: Path) -> Iterator[list[WorkerProcess]]:
    """`count` worker processes, ready, stopped on the way out."""
    started: list[WorkerProcess] = []
    try:
        for _ in range(count):
            started.append(WorkerProcess(database=database, log_dir=log_dir))
        for worker in started:
            worker.wait_ready()
        yield started
    finally:
        for worker in started:
            worker.stop()
