"""Writes for eligibility: policy parameters, assessments, bulk re-evaluation runs and their proposals."""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Max, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from accounts.access import can_decide_reevaluation
from accounts.models import User
from daye_relief.errors import ErrorCode, Forbidden, InvalidInput
from households.codes import BUREAUS, bureau_of
from households.models import Household

from .engine import Evaluation, evaluate
from .errors import ParametersMissing, ProposalAlreadyDecided
from .models import (
    Assessment,
    PolicyParameter,
    ReevaluationChunk,
    ReevaluationProposal,
    ReevaluationRun,
)
from .parameters import PARAMETER_DEFAULTS
from .prefilter import households_to_evaluate
from .selectors import (
    ParameterTable,
    enrolled_household_ids,
    enrolled_snapshot_range,
    household_snapshot,
    household_snapshot_queryset,
)
from .snapshot import SnapshotInvalid, validate_snapshot

logger = logging.getLogger(__name__)

DEFAULTS = {default.code: default for default in PARAMETER_DEFAULTS}
WHOLE_UNITS = frozenset({"months", "count", "bool", "days"})
# Never automatic (DESIGN §3.2): left out when stored categories are compared with the engine's.
NOT_AUTOMATIC = frozenset({"case_by_case"})
# Households per chunk of a bulk re-evaluation: one Celery task each, about two seconds of work.
CHUNK_SIZE = 2000


def _fmt_range(row: PolicyParameter) -> str:
    end = row.valid_to.isoformat() if row.valid_to else "长期"
    return f"{row.valid_from.isoformat()} 至 {end}"


@transaction.atomic
def parameter_save(
    *,
    code: str,
    region_code: str,
    valid_from: date,
    valid_to: date | None,
    value: Decimal,
    source: str,
    placeholder: bool = False,
    close_previous: bool = False,
    instance: PolicyParameter | None = None,
) -> PolicyParameter:
    """Adds or changes one dated parameter row. Overlapping validity for the same code and region is refused.

    With `close_previous`, an open-ended row of the same code and region that starts earlier is ended the
    day before the new row starts (the usual way a new year's standard replaces the old one).
    """
    errors: dict[str, list[str]] = {}
    if code not in DEFAULTS:
        errors.setdefault("code", []).append("没有这个参数。")
    if valid_to is not None and valid_to < valid_from:
        errors.setdefault("valid_to", []).append("失效日期不能早于生效日期。")
    unit = DEFAULTS[code].unit if code in DEFAULTS else ""
    if value < 0:
        errors.setdefault("value", []).append("数值不能为负数。")
    elif unit in WHOLE_UNITS and value != value.to_integral_value():
        errors.setdefault("value", []).append("该参数只能是整数。")
    elif unit == "bool" and value not in (0, 1):
        errors.setdefault("value", []).append("该参数只能填 1（是）或 0（否）。")
    if errors:
        raise InvalidInput(errors=errors)

    # Lock every row of this code and region, so two reviewers cannot save overlapping rows at once.
    same_code = PolicyParameter.objects.select_for_update().filter(code=code, region_code=region_code)
    if instance is not None:
        same_code = same_code.exclude(pk=instance.pk)
    siblings = list(same_code)
    if close_previous:
        for row in siblings:
            if row.valid_to is None and row.valid_from < valid_from:
                row.valid_to = valid_from - timedelta(days=1)
                row.save(update_fields=["valid_to"])
    for row in siblings:
        overlaps = (valid_to is None or row.valid_from <= valid_to) and (
            row.valid_to is None or valid_from <= row.valid_to
        )
        if overlaps:
            raise InvalidInput(
                code=ErrorCode.PARAMETER_OVERLAP,
                errors={
                    "valid_from": [
                        (
                            f"与已有的“{row.get_code_display()}”（{region_code}，{_fmt_range(row)}，"
                            f"数值 {row.display_value}）有效期重叠。"
                            "请先为已有记录设置失效日期，或勾选“自动截止上一条”。"
                        )
                    ]
                },
            )
    row = instance or PolicyParameter()
    row.code, row.region_code, row.valid_from, row.valid_to = code, region_code, valid_from, valid_to
    row.value, row.unit, row.source, row.placeholder = value, unit, source, placeholder
    row.full_clean()
    row.save()
    return row


def evaluate_household(
    *, household: Household, as_of: date, table: ParameterTable | None = None
) -> tuple[dict[str, Any], Evaluation]:
    """Judges a stored household by the same rules as a submitted snapshot: its snapshot and result.
    Raises SnapshotInvalid when the stored data breaks a rule (no applicant, say).

    The schema pass is skipped, as in the bulk run: the snapshot comes from our own builder (whose shape
    a test pins to the schema), and the schema's size limits guard the public endpoint, not a family
    the town has registered with more than 30 members."""
    loaded = household_snapshot_queryset().get(pk=household.pk)
    data = household_snapshot(loaded, as_of=as_of)
    parameters = (table or ParameterTable.load()).in_force(loaded.village.code, as_of)
    return data, evaluate(validate_snapshot(data, shape_checked=True), parameters)


@transaction.atomic
def assessment_record(
    *, household: Household, as_of: date, acting_user: User, purpose: str = "case"
) -> Assessment:
    """Evaluates a stored household and keeps the snapshot, the parameter rows used and the result."""
    data, evaluation = evaluate_household(household=household, as_of=as_of)
    return Assessment.objects.create(
        household=household,
        as_of=as_of,
        snapshot=data,
        parameters=list(evaluation.parameters),
        result=evaluation.to_json(),
        primary_category=evaluation.primary_category or "",
        purpose=purpose,
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )


def _claim(run_id: int) -> ReevaluationRun | None:
    """Marks the run running for this worker, or None when it is done or another worker is alive on it.
    A queued, failed or stale run is taken; its chunks not yet done are then (re)queued."""
    with transaction.atomic():
        run = ReevaluationRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status == ReevaluationRun.Status.DONE:
            return None
        if run.status == ReevaluationRun.Status.RUNNING and not run.is_stale:
            return None
        run.status = ReevaluationRun.Status.RUNNING
        run.error = ""
        run.heartbeat_at = timezone.now()
        run.save(update_fields=["status", "error", "heartbeat_at"])
        return run


def _proposals_for(
    run: ReevaluationRun, household_id: int, current: list[str], proposed: list[str], **fields: Any
) -> list[ReevaluationProposal]:
    """One proposal per bureau whose categories would change: monitoring is the agriculture bureau's,
    the rest the civil-affairs bureau's (issue 8 point 7). `proposed` is in the engine's order."""
    rows = []
    for bureau, _ in BUREAUS:
        before = {code for code in current if bureau_of(code) == bureau}
        after = {code for code in proposed if bureau_of(code) == bureau}
        if before != after or (fields.get("error") and before):
            rows.append(
                ReevaluationProposal(
                    run=run,
                    household_id=household_id,
                    bureau=bureau,
                    current_categories=current,
                    proposed_categories=proposed,
                    **fields,
                )
            )
    return rows


def reevaluation_prepare(*, run_id: int, chunk_size: int = CHUNK_SIZE) -> list[int] | None:
    """Claims the run and splits it into chunks of `chunk_size` enrolled households, once: a restarted
    run keeps the chunks it was first given. Returns the indexes of the chunks not yet done (each to be
    run by `reevaluation_chunk_execute`, on any worker, in any order), or None when the run is done or
    another worker is alive on it. A run with no enrolled household is done at once."""
    run = _claim(run_id)
    if run is None:
        return None
    with transaction.atomic():
        locked = ReevaluationRun.objects.select_for_update().get(pk=run_id)
        if not locked.chunks.exists():
            ids = enrolled_household_ids(on=locked.as_of)
            parts = [ids[start : start + chunk_size] for start in range(0, len(ids), chunk_size)]
            ReevaluationChunk.objects.bulk_create(
                ReevaluationChunk(
                    run=locked,
                    index=index,
                    first_household_id=part[0],
                    last_household_id=part[-1],
                    households=len(part),
                )
                for index, part in enumerate(parts)
            )
            locked.chunks_total = len(parts)
            locked.save(update_fields=["chunks_total"])
        pending = list(locked.chunks.filter(done=False).order_by("index").values_list("index", flat=True))
        if not pending:
            ReevaluationRun.objects.filter(pk=run_id).update(
                status=ReevaluationRun.Status.DONE, finished_at=timezone.now(), heartbeat_at=timezone.now()
            )
    return pending


def _evaluate_chunk(
    run: ReevaluationRun, chunk: ReevaluationChunk, table: ParameterTable
) -> tuple[list[ReevaluationProposal], int, int, int]:
    """The proposals of one chunk and its counters (evaluated, changed, failed); writes nothing."""
    evaluated = changed = failed = 0
    pending: list[ReevaluationProposal] = []
    first_id, last_id = chunk.first_household_id, chunk.last_household_id
    # The households whose categories the pre-filter is sure of get no proposal: counted, not evaluated.
    prefiltered = (
        households_to_evaluate(on=run.as_of, first_id=first_id, last_id=last_id, table=table)
        if settings.REEVALUATION_PREFILTER
        else None
    )
    only = None
    if prefiltered is not None:
        total, only = prefiltered
        evaluated = total - len(only)
    rows = enrolled_snapshot_range(on=run.as_of, first_id=first_id, last_id=last_id, only=only)
    for row in rows:
        household_id = row.household_id
        evaluated += 1
        current_codes = sorted(row.current - NOT_AUTOMATIC)
        try:
            snapshot = row.facts()
            evaluation = evaluate(snapshot, table.in_force(row.region_code, run.as_of), with_benefits=False)
        except (SnapshotInvalid, ParametersMissing) as exc:
            failed += 1
            message = (
                "；".join(f"{e.path} {e.message}" for e in exc.errors)
                if isinstance(exc, SnapshotInvalid)
                else str(exc)
            )
            pending += _proposals_for(
                run, household_id, current_codes, [], per_capita_monthly_income=Decimal(0), error=message
            )
            continue
        proposed = [code for code in evaluation.categories if code not in NOT_AUTOMATIC]
        if sorted(proposed) != current_codes:
            changed += 1
            pending += _proposals_for(
                run,
                household_id,
                current_codes,
                proposed,
                per_capita_monthly_income=evaluation.per_capita_monthly_income.quantize(Decimal("0.01")),
            )
    return pending, evaluated, changed, failed


# The parameter table a worker process last read, under the state of the parameter rows it was read in.
_TABLES: dict[tuple[int, int, int], ParameterTable] = {}


def _parameter_table() -> ParameterTable:
    """The parameter table, read again only when a parameter row was added, removed or changed since this
    process last read it: a worker running many chunks keeps the sets in force it already built (about
    0.4 s a chunk otherwise)."""
    rows = PolicyParameter.objects.aggregate(count=Count("pk"), top=Max("pk"))
    changes = PolicyParameter.history.aggregate(top=Max("history_id"))
    key = (rows["count"], rows["top"] or 0, changes["top"] or 0)
    table = _TABLES.get(key)
    if table is None:
        _TABLES.clear()
        table = _TABLES[key] = ParameterTable.load()
    return table


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pauses Python's cyclic garbage collector while one chunk is evaluated. The chunk makes some hundred
    thousand small dicts and dataclasses that all live until it ends, so each automatic collection
    would walk them (and the whole of Django) for nothing: about a fifth of a chunk's time. Memory is
    bounded by the chunk; reference counting still frees what the chunk drops, and the collector resumes
    (and catches up) when the chunk is done."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def reevaluation_chunk_execute(*, run_id: int, index: int, table: ParameterTable | None = None) -> bool:
    """Re-evaluates one chunk of a run and commits, together and once, its proposals, its counters
    added to the run's, and the run done when it was the last chunk. Safe to run twice, on two workers
    at once, or again after a worker died half-way: a chunk already committed is left alone (False).
    Nothing about the households changes: the bureaus review each proposal."""
    chunk = ReevaluationChunk.objects.select_related("run").filter(run_id=run_id, index=index).first()
    if chunk is None:  # a message for a run since deleted
        logger.warning("re-evaluation run %s has no chunk %s", run_id, index)
        return False
    if chunk.done or chunk.run.status == ReevaluationRun.Status.DONE:
        return False
    try:
        table = table or _parameter_table()
        with _cyclic_gc_paused():
            pending, evaluated, changed, failed = _evaluate_chunk(chunk.run, chunk, table)
        return _commit_chunk(chunk, pending, evaluated, changed, failed)
    except Exception as exc:
        logger.exception("re-evaluation run %s chunk %s failed", run_id, index)
        ReevaluationRun.objects.filter(pk=run_id).exclude(status=ReevaluationRun.Status.DONE).update(
            status=ReevaluationRun.Status.FAILED, error=str(exc), finished_at=timezone.now()
        )
        raise


@transaction.atomic
def _commit_chunk(
    chunk: ReevaluationChunk,
    pending: list[ReevaluationProposal],
    evaluated: int,
    changed: int,
    failed: int,
) -> bool:
    """Stores one chunk's proposals with the run's progress, unless another worker committed the same
    chunk first. The run row is locked first, so chunk commits of one run follow each other."""
    run = ReevaluationRun.objects.select_for_update().get(pk=chunk.run_id)
    locked = ReevaluationChunk.objects.select_for_update().get(pk=chunk.pk)
    if locked.done:
        return False
    ReevaluationProposal.objects.bulk_create(pending, ignore_conflicts=True)
    now = timezone.now()
    locked.done, locked.finished_at = True, now
    locked.evaluated, locked.changed, locked.failed = evaluated, changed, failed
    locked.save(update_fields=["done", "finished_at", "evaluated", "changed", "failed"])
    last = not ReevaluationChunk.objects.filter(run_id=run.pk, done=False).exists()
    ReevaluationRun.objects.filter(pk=run.pk).update(
        households_evaluated=F("households_evaluated") + evaluated,
        proposals_count=F("proposals_count") + changed,
        errors_count=F("errors_count") + failed,
        last_household_id=Greatest(F("last_household_id"), Value(locked.last_household_id)),
        heartbeat_at=now,
        **({"status": ReevaluationRun.Status.DONE, "finished_at": now, "error": ""} if last else {}),
    )
    return True


def reevaluation_execute(*, run_id: int, chunk_size: int = CHUNK_SIZE) -> ReevaluationRun:
    """The whole run in this process, chunk after chunk (the command line, the benchmark's one-process
    figure, tests); the Celery task instead hands the chunks to every worker. Same chunks, same commits,
    so the same guarantees: safe to run twice and to resume after a worker died."""
    pending = reevaluation_prepare(run_id=run_id, chunk_size=chunk_size)
    table = ParameterTable.load()
    for index in pending or []:
        reevaluation_chunk_execute(run_id=run_id, index=index, table=table)
    return ReevaluationRun.objects.get(pk=run_id)


@transaction.atomic
def proposal_decide(
    *, proposal: ReevaluationProposal, accept: bool, acting_user: User
) -> ReevaluationProposal:
    """The bureau's decision on one proposal: the agriculture bureau decides monitoring, the
    civil-affairs bureau the rest. Accepting hands it to the adjustment procedure; it changes no
    enrollment by itself."""
    locked = ReevaluationProposal.objects.select_for_update().get(pk=proposal.pk)
    if not can_decide_reevaluation(acting_user, locked.bureau):
        raise Forbidden(f"该提示由{locked.get_bureau_display()}审核。", code=ErrorCode.PROPOSAL_OTHER_BUREAU)
    if locked.decision != ReevaluationProposal.Decision.OPEN:
        raise ProposalAlreadyDecided(f"该提示已处理（{locked.get_decision_display()}）。")
    locked.decision = (
        ReevaluationProposal.Decision.ACCEPTED if accept else ReevaluationProposal.Decision.DISMISSED
    )
    locked.decided_by = acting_user
    locked.decided_at = timezone.now()
    locked.save(update_fields=["decision", "decided_by", "decided_at"])
    return locked
