"""Importing a delivered file (DESIGN §3.6, §5): identify it, stream it in chunks, keep the valid rows about
pool members, raise the warnings. The unique constraints do the de-duplication, so a retry, a second
worker or the same row in two files never stores a row or raises a warning twice.

The whole file is one transaction: a file that turns out unusable half-way (undecodable text), or a worker
killed half-way, leaves nothing behind, and running it again gives exactly one clean run.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from typing import IO, Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.access import delivering_unit_ids
from accounts.actors import Actor
from accounts.models import OrgUnit, User
from daye_relief.errors import ErrorCode, Forbidden
from eligibility.selectors import ParameterTable
from households.models import Household, Member
from workdays.selectors import deadline_after, workday_calendar

from ..datasets import DATASETS, Dataset
from ..glossary import ImportChannel, ImportStatus
from ..models import DatasetImport, SharedRow, Warning
from ..parsing import CleanRow, FileUnusable, clean_row, period_bounds, read_rows
from ..rules import warnings_sql
from ..rules.warnings import RuleContext, rule_hits
from ..selectors.pool import pool_filter
from . import fastpath
from .assistance import record_assistance
from .deliveries import delivery_summary_refresh
from .raising import warnings_raise

logger = logging.getLogger(__name__)
CHUNK_ROWS = 5000


def dataset_for(key: str) -> Dataset:
    dataset = DATASETS.get(key)
    if dataset is None:
        raise FileUnusable(f"没有数据集“{key}”。", code="unknown_dataset", field="dataset")
    return dataset


def file_sha256(binary: IO[bytes]) -> str:
    digest = hashlib.sha256()
    binary.seek(0)
    for block in iter(lambda: binary.read(1 << 20), b""):
        digest.update(block)
    binary.seek(0)
    return digest.hexdigest()


def progress_key(import_id: int) -> str:
    return f"monitoring:import-progress:{import_id}"


def import_progress(import_id: int) -> int:
    return int(cache.get(progress_key(import_id)) or 0)


def check_department_may_deliver(*, user: Any, dataset: Dataset) -> OrgUnit:
    """The department (of this user or token) that delivers the dataset; else Forbidden, dataset_not_yours."""
    units = OrgUnit.objects.filter(pk__in=delivering_unit_ids(user), code=dataset.department)
    unit = units.first()
    if unit is None:
        raise Forbidden(f"“{dataset.label}”不是本部门报送的数据集。", code=ErrorCode.DATASET_NOT_YOURS)
    return unit


# The keys of an import's answer that name it rather than count what it did.
IDENTITY_KEYS = frozenset({"import_id", "dataset", "period", "duplicate_of"})


@dataclass
class ImportOutcome:
    dataset_import: DatasetImport
    duplicate_of: int | None = None

    def report(self) -> dict[str, Any]:
        """The JSON of DESIGN §5. For a repeated file the counts are this call's, which imported nothing
        (a department's script adding them up must not count the earlier import twice); the earlier
        import's figures stand under "earlier"."""
        answer = self.dataset_import.report()
        answer["duplicate_of"] = self.duplicate_of
        if self.duplicate_of is None:
            return answer
        counts = {key: value for key, value in answer.items() if key not in IDENTITY_KEYS}
        nothing: dict[str, Any] = {key: [] if isinstance(value, list) else 0 for key, value in counts.items()}
        return {**answer, **nothing, "earlier": counts}


def _earlier(dataset: str, period: str, sha256: str) -> DatasetImport | None:
    return (
        DatasetImport.objects.filter(dataset=dataset, period=period, sha256=sha256)
        .exclude(status=ImportStatus.FAILED)
        .order_by("pk")
        .first()
    )


def dataset_import_register(
    *,
    dataset_key: str,
    period: str,
    binary: IO[bytes],
    file_name: str,
    department: OrgUnit,
    channel: str,
    acting_user: Actor | None = None,
    keep_file: bool = False,
) -> ImportOutcome:
    """Checks the dataset and period, identifies the file; a file seen before answers with the earlier
    import (`duplicate_of`), otherwise a queued import is recorded (with the file kept for a worker when
    `keep_file`)."""
    dataset = dataset_for(dataset_key)
    period_bounds(period)
    sha256 = file_sha256(binary)
    earlier = _earlier(dataset.key, period, sha256)
    if earlier is not None:
        return ImportOutcome(earlier, duplicate_of=earlier.pk)
    record = DatasetImport(
        dataset=dataset.key,
        period=period,
        sha256=sha256,
        department=department,
        channel=channel,
        file_name=file_name[:200],
        uploaded_by=acting_user if isinstance(acting_user, User) else None,  # a token is no person
        status=ImportStatus.QUEUED,
    )
    try:
        with transaction.atomic():
            if keep_file:
                from django.core.files import File

                record.file.save(f"{dataset.key}-{period}-{sha256[:12]}", File(binary), save=False)
            record.save()
    except IntegrityError:
        earlier = _earlier(dataset.key, period, sha256)
        if earlier is None:
            raise
        return ImportOutcome(earlier, duplicate_of=earlier.pk)
    return ImportOutcome(record)


@dataclass
class _Tally:
    rows: int = 0
    duplicates: int = 0
    matched: int = 0
    unmatched: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    rejected_values: list[dict[str, str]] = field(default_factory=list)
    name_mismatches: list[int] = field(default_factory=list)


def _chunks(iterator: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while chunk := list(islice(iterator, size)):
        yield chunk


def dataset_import_execute(
    *, import_id: int, binary: IO[bytes] | None = None, today: date | None = None
) -> DatasetImport:
    """Reads, checks, matches and stores one queued import; safe to run again (a done import is left as
    it is). A file that cannot be used marks the import failed with the reason and raises FileUnusable."""
    record = DatasetImport.objects.select_related("department").get(pk=import_id)
    if record.status == ImportStatus.DONE:
        return record
    dataset = dataset_for(record.dataset)
    today = today or timezone.localdate()
    own_file = binary is None
    if binary is None:
        binary = record.file.open("rb")
    DatasetImport.objects.filter(pk=record.pk).update(status=ImportStatus.RUNNING)
    try:
        with transaction.atomic():
            locked = DatasetImport.objects.select_for_update().get(pk=record.pk)
            if locked.status == ImportStatus.DONE:
                return locked
            tally = _run(locked, dataset, binary, today=today)
            clock = time.perf_counter()
            record_assistance(locked)
            warnings = Warning.objects.filter(source_row__dataset_import=locked).count()
            locked.rows, locked.duplicates = tally.rows, tally.duplicates
            locked.matched, locked.unmatched = tally.matched, tally.unmatched
            locked.valid = tally.duplicates + tally.matched + tally.unmatched
            locked.rejected, locked.name_mismatches = tally.rejected, tally.name_mismatches
            locked.rejected_values = tally.rejected_values
            locked.warnings_created = warnings
            locked.status, locked.finished_at, locked.error = ImportStatus.DONE, timezone.now(), ""
            locked.save()
            delivery_summary_refresh(period=locked.period, department=locked.department)
            finished = time.perf_counter()
        logger.info(
            "import %s: assistance, counts and summary %.2fs, commit %.2fs",
            record.pk,
            finished - clock,
            time.perf_counter() - finished,
        )
    except FileUnusable as error:
        DatasetImport.objects.filter(pk=record.pk).update(
            status=ImportStatus.FAILED, error=error.message, finished_at=timezone.now()
        )
        raise
    finally:
        if own_file:
            binary.close()
        cache.delete(progress_key(record.pk))
    return locked


def _run(record: DatasetImport, dataset: Dataset, binary: IO[bytes], *, today: date) -> _Tally:
    if fastpath.available():
        return _run_set_wise(record, dataset, binary, today=today)
    _first, last_day = period_bounds(record.period)
    columns, rows = read_rows(binary, dataset, file_name=record.file_name)
    tally = _Tally()
    context = RuleContext(today=today, table=ParameterTable.load())
    calendar = workday_calendar()
    assignees = _assignees(dataset)
    pool = pool_filter(today)
    for chunk in _chunks(rows, CHUNK_ROWS):
        tally.rows += len(chunk)
        clean: list[CleanRow] = []
        for number, raw in chunk:
            result = clean_row(number, raw, dataset, columns, last_day=last_day)
            if isinstance(result, list):  # every fault of the row, one entry per column; its cells once
                tally.rejected.extend(fault.as_json() for fault in result)
                tally.rejected_values.append({k: _as_text(v) for k, v in raw.items()})
            else:
                clean.append(result)
        new_rows = _store_chunk(record, dataset, clean, pool, tally)
        if new_rows and dataset.warning is not None:
            _raise_warnings(dataset, new_rows, context, calendar, assignees, today)
        cache.set(progress_key(record.pk), tally.rows, 3600)
    if tally.rows == 0:
        raise FileUnusable("文件没有数据行。", code="empty_file")
    return tally


def _run_set_wise(record: DatasetImport, dataset: Dataset, binary: IO[bytes], *, today: date) -> _Tally:
    """PostgreSQL: the file through COPY and checks in SQL (fastpath), then matching, storing and the
    warnings as set-wise statements over all the import's rows; Python only for the rows SQL leaves to
    clean_row and for the rules that re-evaluate a household with the engine."""
    _first, last_day = period_bounds(record.period)
    clock = time.perf_counter()
    pool_sql, pool_params = _pool_households(pool_filter(today)).query.sql_with_params()
    fastpath.prepare(pool_sql=pool_sql, pool_params=pool_params)
    phases = {"pool": time.perf_counter() - clock}

    def progress(rows: int) -> None:
        cache.set(progress_key(record.pk), rows, 3600)

    clock = time.perf_counter()
    loaded = fastpath.load(
        dataset=dataset, binary=binary, file_name=record.file_name, last_day=last_day, progress=progress
    )
    phases["read and check"] = time.perf_counter() - clock
    tally = _Tally(rows=loaded.rows)
    if tally.rows == 0:
        raise FileUnusable("文件没有数据行。", code="empty_file")
    for faults, raw in loaded.rejected:
        tally.rejected.extend(fault.as_json() for fault in faults)
        tally.rejected_values.append({k: _as_text(v) for k, v in raw.items()})
    clock = time.perf_counter()
    fastpath.serialize_dataset(dataset.key)
    matched, unmatched, mismatches, stored = fastpath.store(record)
    phases["match and store"] = time.perf_counter() - clock
    tally.unmatched, tally.name_mismatches = unmatched, mismatches
    tally.matched, tally.duplicates = stored, matched - stored
    # Hook: what else a stored row means (an assistance record, §3.8) goes here, once per import.
    if stored and dataset.warning is not None:
        clock = time.perf_counter()
        _raise_warnings_set_wise(record, dataset, today)
        phases["warnings"] = time.perf_counter() - clock
    logger.info(
        "import %s: %s", record.pk, ", ".join(f"{name} {seconds:.2f}s" for name, seconds in phases.items())
    )
    return tally


def _raise_warnings_set_wise(record: DatasetImport, dataset: Dataset, today: date) -> None:
    """The data tests as one statement (rules.warnings_sql); a rule that needs the engine (rules.warnings) in
    Python over the import's stored rows, a chunk at a time."""
    rule = dataset.warning
    assert rule is not None
    table = ParameterTable.load()
    if warnings_sql.handles(rule.condition):
        calendar = workday_calendar()
        due = deadline_after(start=today, working_days=rule.due_days, calendar=calendar)
        department = _assignees(dataset)["department"]
        if department is None and rule.to != "town":
            logger.warning("No org unit %s for dataset %s", dataset.department, dataset.key)
            return
        warnings_sql.warnings_insert(
            dataset=dataset,
            import_id=record.pk,
            today=today,
            due=due.date,
            due_provisional=due.provisional,
            table=table,
            department_id=department.pk if department else None,
        )
        return
    context = RuleContext(today=today, table=table)
    calendar, assignees = workday_calendar(), _assignees(dataset)
    stored = SharedRow.objects.filter(dataset_import=record).order_by("pk")
    last = 0
    while rows := list(stored.filter(pk__gt=last).select_related("household__village")[:CHUNK_ROWS]):
        _raise_warnings(dataset, rows, context, calendar, assignees, today)
        last = rows[-1].pk


def _as_text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat() if not value.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def _store_chunk(
    record: DatasetImport, dataset: Dataset, clean: list[CleanRow], pool: Any, tally: _Tally
) -> list[SharedRow]:
    """Matches a chunk against the pool's members by ID (one query), counts, and stores the new rows."""
    if not clean:
        return []
    members = {
        m["id_number"]: m
        for m in Member.objects.filter(
            is_active=True,
            id_number__in={row.id_number for row in clean},
            household__in=_pool_households(pool),
        ).values("pk", "id_number", "name", "household_id")
    }
    matched = [row for row in clean if row.id_number in members]
    tally.unmatched += len(clean) - len(matched)
    for row in matched:
        if members[row.id_number]["name"] != row.name:
            tally.name_mismatches.append(row.row)
    existing = set(
        SharedRow.objects.filter(
            dataset=dataset.key, id_number__in={row.id_number for row in matched}
        ).values_list("id_number", "row_date", "amount_key")
    )
    fresh: dict[tuple[str, date, str], CleanRow] = {}
    for row in matched:
        key = (row.id_number, row.row_date, row.amount_key)
        if key in existing or key in fresh:
            tally.duplicates += 1
        else:
            fresh[key] = row
    objects = [
        SharedRow(
            dataset_import=record,
            dataset=dataset.key,
            period=record.period,
            row_number=row.row,
            id_number=row.id_number,
            name=row.name,
            row_date=row.row_date,
            amount_key=row.amount_key,
            data={
                k: (v.isoformat() if isinstance(v, date) else None if v is None else str(v))
                for k, v in row.values.items()
                if k not in ("id_number", "name")
            },
            household_id=members[row.id_number]["household_id"],
            member_id=members[row.id_number]["pk"],
            name_mismatch=members[row.id_number]["name"] != row.name,
            assistance_amount=row.values.get(dataset.assistance) if dataset.assistance else None,
        )
        for row in fresh.values()
    ]
    SharedRow.objects.bulk_create(objects, ignore_conflicts=True, batch_size=2000)
    stored = list(
        SharedRow.objects.filter(dataset_import=record, row_number__in=[row.row for row in fresh.values()])
        .select_related("household__village")
        .order_by("row_number")
    )
    # A row another import stored in the meantime (ignore_conflicts) is a duplicate too.
    tally.duplicates += len(fresh) - len(stored)
    tally.matched += len(stored)
    return stored


def _pool_households(pool: Any) -> Any:
    return Household.objects.filter(pool).values("pk")


def _assignees(dataset: Dataset) -> dict[str, OrgUnit | None]:
    return {"department": OrgUnit.objects.filter(code=dataset.department).first()}


def _raise_warnings(
    dataset: Dataset,
    rows: list[SharedRow],
    context: RuleContext,
    calendar: Any,
    assignees: dict[str, OrgUnit | None],
    today: date,
) -> None:
    rule = dataset.warning
    assert rule is not None
    due = deadline_after(start=today, working_days=rule.due_days, calendar=calendar)
    drafts = []
    for hit in rule_hits(dataset, rows, context):
        row = hit.row
        if rule.to == "town" and row.household.village.parent_id is not None:
            assignee_id: int = row.household.village.parent_id
        else:
            department = assignees["department"]
            if department is None:
                logger.warning("No org unit %s for dataset %s", dataset.department, dataset.key)
                continue
            assignee_id = department.pk
        drafts.append(
            Warning(
                type=rule.type,
                severity=rule.severity,
                household_id=row.household_id,
                member_id=row.member_id,
                source_row=row,
                year=hit.year,
                assignee_id=assignee_id,
                raised_on=today,
                due_on=due.date,
                due_provisional=due.provisional,
                detail=hit.detail[:300],
            )
        )
    warnings_raise(drafts)


def dataset_import_now(
    *,
    dataset_key: str,
    period: str,
    binary: IO[bytes],
    file_name: str,
    department: OrgUnit,
    channel: str = ImportChannel.COMMAND,
    acting_user: Actor | None = None,
    today: date | None = None,
) -> ImportOutcome:
    """Register and execute at once (the command, the API, the sync). An unusable file leaves nothing:
    the failed import record is removed and FileUnusable raised."""
    outcome = dataset_import_register(
        dataset_key=dataset_key,
        period=period,
        binary=binary,
        file_name=file_name,
        department=department,
        channel=channel,
        acting_user=acting_user,
    )
    if outcome.duplicate_of is not None:
        if outcome.dataset_import.status == ImportStatus.DONE:
            return outcome
        # The earlier delivery of this file never finished (a worker killed half-way): this is its run.
        outcome = ImportOutcome(outcome.dataset_import)
    try:
        outcome.dataset_import = dataset_import_execute(
            import_id=outcome.dataset_import.pk, binary=binary, today=today
        )
    except FileUnusable:
        DatasetImport.objects.filter(pk=outcome.dataset_import.pk).delete()
        raise
    return outcome
