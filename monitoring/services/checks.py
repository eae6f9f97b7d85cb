"""Writes of the checks (DESIGN §3.6 Checks): the half-yearly run (student aid), the annual city check's
plan and its tasks, ad hoc checks by the town, and a task's result — `adjust` and `cancel` open an
adjustment case (§3.7)."""

from __future__ import annotations

import logging
import secrets
import tempfile
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from accounts.access import can_plan_checks, can_work_check_tasks_in
from accounts.models import OrgUnit, User
from applications.glossary import Trigger
from applications.models import Application
from applications.services import adjustment_open
from daye_relief.errors import Forbidden, InvalidInput, InvalidTransition
from eligibility.selectors import enrolled_households
from households.models import Household
from workdays.selectors import deadline_after, workday_calendar

from ..glossary import CheckKind, CheckPlanMode, CheckResult, CheckStatus, Severity, WarningType
from ..models import CentralCheckRun, CheckPlan, CheckTask, Warning
from ..selectors.checks import (
    central_check_csv,
    central_check_xlsx,
    half_yearly_reference_day,
    sample_households,
    student_aid_missing_candidates,
    student_aid_missing_detail,
)
from ..workflow import CHECK_TASK
from .raising import warnings_raise

logger = logging.getLogger(__name__)

STUDENT_AID_DEPARTMENT = "JYJ"  # 教育局
STUDENT_AID_DUE_DAYS = 20


# The half-yearly run --------------------------------------------------------------------------------


def _student_aid_missing_raise(*, period: str, on: date, today: date) -> int:
    """A `student_aid_missing` warning (low, to 教育局, due 20 working days) for every student the rule of
    monitoring.selectors.checks finds; the unique constraint (member, type, period) keeps each once."""
    department = OrgUnit.objects.filter(code=STUDENT_AID_DEPARTMENT).first()
    if department is None:
        logger.warning("No org unit %s: student aid warnings not raised", STUDENT_AID_DEPARTMENT)
        return 0
    due = deadline_after(start=today, working_days=STUDENT_AID_DUE_DAYS, calendar=workday_calendar())
    batch: list[Warning] = []
    for candidate in student_aid_missing_candidates(on=on):
        batch.append(
            Warning(
                type=WarningType.STUDENT_AID_MISSING,
                severity=Severity.LOW,
                household_id=candidate.household_id,
                member_id=candidate.member_id,
                assignee=department,
                raised_on=today,
                due_on=due.date,
                due_provisional=due.provisional,
                period=period,
                detail=student_aid_missing_detail(candidate, on=on),
            )
        )
        if len(batch) >= 2000:
            warnings_raise(batch)
            batch = []
    warnings_raise(batch)
    return Warning.objects.filter(type=WarningType.STUDENT_AID_MISSING, period=period).count()


def _save_exports(run: CentralCheckRun) -> None:
    """The export of the members enrolled on the run's day, as XLSX and CSV files kept with the run
    (written to temporary files first: memory does not grow with the city)."""
    for field in (run.xlsx, run.csv):
        if field:
            field.delete(save=False)
    with tempfile.TemporaryFile() as out:
        run.members = central_check_xlsx(on=run.on, out=out)
        out.seek(0)
        run.xlsx.save(f"central-check-{run.period}.xlsx", File(out), save=False)
    with tempfile.TemporaryFile() as out:
        for chunk in central_check_csv(on=run.on):
            out.write(chunk)
        out.seek(0)
        run.csv.save(f"central-check-{run.period}.csv", File(out), save=False)


def half_yearly_check_run(*, period: str, today: date | None = None) -> CentralCheckRun:
    """The half-yearly central check of 10 January / 10 July, keyed by its period ("YYYY-01" or
    "YYYY-07"): the export of the members enrolled on the period's reference day kept as files for the
    bureaus to send to the 核对平台, and the student aid check. A finished period is not run again; a run
    that died half-way (a killed worker) is run again in full — its files are rewritten and the unique
    constraint on the warnings keeps each once — so any number of runs gives one clean run's result."""
    on = half_yearly_reference_day(period)
    today = today or timezone.localdate()
    run, _created = CentralCheckRun.objects.get_or_create(period=period, defaults={"on": on})
    if run.finished_at is not None:
        return run
    _save_exports(run)
    run.student_aid_missing = _student_aid_missing_raise(period=period, on=on, today=today)
    run.finished_at = timezone.now()
    run.save()
    return run


# The annual city check ------------------------------------------------------------------------------


def _shares(raw: dict[str, Any]) -> dict[str, Decimal]:
    shares: dict[str, Decimal] = {}
    for town_code, value in raw.items():
        try:
            share = Decimal(str(value))
        except InvalidOperation:
            raise InvalidInput("抽取比例应为 0 到 100 之间的数。", field="shares") from None
        if not share.is_finite() or not 0 <= share <= 100:
            raise InvalidInput("抽取比例应为 0 到 100 之间的数。", field="shares")
        shares[town_code] = share
    return shares


@transaction.atomic
def check_plan_create(
    *,
    year: int,
    mode: str,
    due_on: date,
    acting_user: User,
    seed: str = "",
    shares: dict[str, Any] | None = None,
    as_of: date | None = None,
) -> CheckPlan:
    """The civil-affairs reviewer's annual check: every household enrolled on `as_of` (default today), or
    per town the given percentage of them drawn with `seed` (one is made and kept when none is given).
    Each picked household becomes a check task for its town, due `due_on`."""
    if not can_plan_checks(acting_user):
        raise Forbidden("只有市民政局可以制定年度核查计划。")
    today = timezone.localdate()
    as_of = as_of or today
    if mode not in CheckPlanMode.values:
        raise InvalidInput("请选择抽取方式。", field="mode")
    if due_on <= today:
        raise InvalidInput("完成期限应在今天之后。", field="due_on")
    candidates: dict[str, list[int]] = {}
    towns: dict[str, int] = {}
    for household_id, town_id, town_code in (
        enrolled_households(on=as_of)
        .filter(village__parent__isnull=False)
        .values_list("pk", "village__parent_id", "village__parent__code")
    ):
        if town_id is None:
            continue
        candidates.setdefault(town_code, []).append(household_id)
        towns[town_code] = town_id
    kept_shares: dict[str, str] = {}
    if mode == CheckPlanMode.SAMPLE:
        seed = (seed or "").strip()[:64] or secrets.token_hex(4)
        parsed = _shares(shares or {})
        if not any(parsed.values()):
            raise InvalidInput("请至少为一个镇填写抽取比例。", field="shares")
        picked = sample_households(candidates, seed=seed, shares=parsed)
        kept_shares = {code: f"{share.normalize():f}" for code, share in parsed.items()}
    else:
        seed = ""
        picked = {code: sorted(ids) for code, ids in candidates.items()}
    plan = CheckPlan(
        year=year,
        mode=mode,
        seed=seed,
        shares=kept_shares,
        as_of=as_of,
        due_on=due_on,
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    plan._history_user = plan.created_by  # type: ignore[attr-defined]
    plan.save()
    CheckTask.objects.bulk_create(
        [
            CheckTask(
                kind=CheckKind.ANNUAL,
                plan=plan,
                household_id=household_id,
                town_id=towns[code],
                opened_on=today,
                due_on=due_on,
                opened_by=plan.created_by,
                reason=f"{year}年度核查",
            )
            for code, ids in picked.items()
            for household_id in ids
        ],
        ignore_conflicts=True,
        batch_size=2000,
    )
    return plan


@transaction.atomic
def check_task_open_ad_hoc(
    *, household: Household, due_on: date, reason: str, acting_user: User
) -> CheckTask:
    """不定期核查: the town opens a check task on one of its households (one open at a time)."""
    town_id = household.village.parent_id
    if town_id is None or not can_work_check_tasks_in(acting_user, town_id):
        raise Forbidden("只有家庭所在镇可以发起不定期核查。")
    today = timezone.localdate()
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("请填写核查事由。", field="reason")
    if due_on < today:
        raise InvalidInput("完成期限不能早于今天。", field="due_on")
    Household.objects.select_for_update().filter(pk=household.pk).first()
    if CheckTask.objects.filter(household=household, kind=CheckKind.AD_HOC, status=CheckStatus.OPEN).exists():
        raise InvalidTransition("该户已有未完成的不定期核查。")
    task = CheckTask(
        kind=CheckKind.AD_HOC,
        household=household,
        town_id=town_id,
        opened_on=today,
        due_on=due_on,
        reason=reason,
        opened_by=acting_user,
    )
    task._history_user = acting_user  # type: ignore[attr-defined]
    task.save()
    return task


def _open_adjustment(task: CheckTask, *, note: str, acting_user: User, on: date) -> Application:
    """The adjustment case of a result `adjust` or `cancel` (DESIGN §3.7): trigger "check", the task as
    its source. Refused (a household no longer enrolled, a case already running) with the case side's
    DomainError, and then the result is not recorded either."""
    return adjustment_open(
        household=task.household,
        trigger=Trigger.CHECK,
        note=note,
        opened_on=on,
        acting_user=acting_user,
        source=f"check:{task.pk}",
    )


@transaction.atomic
def check_task_record(*, task_id: int, result: str, note: str, acting_user: User) -> CheckTask:
    """The town records what the check found: `confirmed`, `adjust` or `cancel` (the last two open an
    adjustment case)."""
    task = CheckTask.objects.select_for_update().select_related("household__village").get(pk=task_id)
    if not can_work_check_tasks_in(acting_user, task.town_id):
        raise Forbidden("只有家庭所在镇可以登记核查结果。")
    CHECK_TASK.guard("record", task.status)
    if result not in CheckResult.values:
        raise InvalidInput("请选择核查结果。", field="result")
    note = (note or "").strip()
    if not note:
        raise InvalidInput("请填写核查情况。", field="note")
    today = timezone.localdate()
    task.status, task.result, task.note = CHECK_TASK.target("record"), result, note
    task.recorded_on, task.recorded_by = today, acting_user
    if result in (CheckResult.ADJUST, CheckResult.CANCEL):
        label = CheckResult(result).label
        task.adjustment = _open_adjustment(
            task, note=f"{task.get_kind_display()}结果：{label}。{note}", acting_user=acting_user, on=today
        )
    task._history_user = acting_user  # type: ignore[attr-defined]
    task.save()
    return task
