"""Celery tasks of monitoring: each takes ids or a period, re-reads, calls a service, is safe to run twice."""

from __future__ import annotations

from datetime import date
from typing import Any

from celery import shared_task
from django.utils import timezone

from .parsing import FileUnusable
from .selectors.checks import half_yearly_period
from .services.checks import half_yearly_check_run
from .services.imports import dataset_import_execute
from .services.sync import monthly_sync, previous_period
from .services.visits import overdue_visits_summarize
from .services.warnings import warnings_escalate


@shared_task(acks_late=True)
def run_import(import_id: int) -> dict[str, Any]:
    """An uploaded file, in the background; the page polls its progress."""
    try:
        return dataset_import_execute(import_id=import_id).report()
    except FileUnusable as error:
        return error.as_json()


@shared_task(acks_late=True)
def escalate_warnings() -> int:
    """Daily (05:30): overdue warnings reach the bureaus' desk. Keyed by the day."""
    return warnings_escalate(today=timezone.localdate())


@shared_task(acks_late=True)
def run_monthly_sync(period: str | None = None) -> dict[str, Any]:
    """The 5th at 02:00: pull every configured source for the previous month, import, summarise."""
    return monthly_sync(period=period or previous_period(timezone.localdate()))


@shared_task(acks_late=True)
def list_overdue_visits(day: str | None = None) -> int:
    """Mondays at 06:00: the overdue visits per village, stored for the desks. Keyed by the week."""
    return overdue_visits_summarize(on=date.fromisoformat(day) if day else timezone.localdate())


@shared_task(acks_late=True)
def half_yearly_check(period: str | None = None) -> dict[str, Any]:
    """10 January and 10 July (03:00): the half-yearly central check of its period ("YYYY-01"/"YYYY-07";
    by default the one today falls in): the members' export kept for the bureaus, and the student aid
    check. Keyed by the period: a second run of a finished period does nothing."""
    run = half_yearly_check_run(period=period or half_yearly_period(timezone.localdate()))
    return {
        "period": run.period,
        "on": run.on.isoformat(),
        "members": run.members,
        "student_aid_missing": run.student_aid_missing,
    }
