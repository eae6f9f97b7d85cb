"""Exports of the lists people see (DESIGN §3.10): each list exports to XLSX with the same filters and the
same masking as on its page. A small export is answered at once; a large one (over
`DESK_EXPORT_SYNC_LIMIT` rows) becomes an ExportJob built by a Celery task, with progress, whose file
only its owner may download.

A list joins by one `register(ListExport(...))`: its key, title, columns, who may export it, the
queryset the page shows for the request's filters (built with the page's own form and selector) and how
one object becomes one row. Rows are read in chunks with the page's prefetches: a fixed number of
queries per chunk, never one per row.

This module is the machinery (the registry, the workbook, the background job's run); the lists
themselves are declared in desk.export_lists (registered when the app is ready), and a large export is
queued by desk.export_queue."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from accounts.access import sees_full_id_numbers
from accounts.models import User
from households.idnumbers import mask

from .models import ExportJob, ExportStatus

SYNC_LIMIT_DEFAULT = 5000
CHUNK = 1000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Cell = str | int | Decimal | date | None


@dataclass(frozen=True)
class Viewer:
    """Who reads the export, resolved once: what they may see of a person."""

    user: Any
    full_ids: bool

    def id_number(self, number: str) -> str:
        return number if self.full_ids else mask(number)


@dataclass(frozen=True)
class ListExport:
    key: str
    title: str
    columns: tuple[str, ...]
    allowed: Callable[[Any], bool]
    # The page's rows for these filters: a queryset (read in chunks) or, for a list the page computes
    # (visits due, say), a sequence.
    queryset: Callable[[Any, QueryDict], QuerySet[Any] | Sequence[Any]]
    row: Callable[[Any, Viewer], list[Cell]]
    viewer: Callable[[Any], Viewer] = lambda user: Viewer(user, sees_full_id_numbers(user))


REGISTRY: dict[str, ListExport] = {}


def register(export: ListExport) -> ListExport:
    REGISTRY[export.key] = export
    return export


def sync_limit() -> int:
    return int(getattr(settings, "DESK_EXPORT_SYNC_LIMIT", SYNC_LIMIT_DEFAULT))


def export_for(user: Any, key: str) -> ListExport | None:
    """The list's export if this user may export it (the same rule as seeing the list), else None."""
    export = REGISTRY.get(key)
    if export is None or not export.allowed(user):
        return None
    return export


# Writing ---------------------------------------------------------------------------------------------


def _rows(export: ListExport, user: Any, params: QueryDict) -> Iterator[list[Cell]]:
    viewer = export.viewer(user)
    items = export.queryset(user, params)
    for obj in items.iterator(chunk_size=CHUNK) if isinstance(items, QuerySet) else items:
        yield export.row(obj, viewer)


def write_xlsx(
    export: ListExport, rows: Iterable[list[Cell]], progress: Callable[[int], None] | None = None
) -> bytes:
    """A write-only workbook (constant memory): a title row, the header, the rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(export.title[:31])
    title = WriteOnlyCell(sheet, value=f"{export.title}（导出时间：{timezone.localtime():%Y-%m-%d %H:%M}）")
    title.font = Font(bold=True)
    sheet.append([title])
    header = []
    for name in export.columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for n, row in enumerate(rows, start=1):
        sheet.append(
            [
                _as_text(sheet, value) if isinstance(value, str) and value.startswith("=") else value
                for value in row
            ]
        )
        if progress is not None and n % CHUNK == 0:
            progress(n)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _as_text(sheet: Any, value: str) -> Any:
    """What a person typed stays text: a name beginning with "=" is never written as a formula."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def file_name(export: ListExport) -> str:
    return f"{export.key}-{timezone.localtime():%Y%m%d-%H%M}.xlsx"


def export_now(*, export: ListExport, user: Any, params: QueryDict) -> bytes:
    return write_xlsx(export, _rows(export, user, params))


def export_count(*, export: ListExport, user: Any, params: QueryDict) -> int:
    items = export.queryset(user, params)
    return items.count() if isinstance(items, QuerySet) else len(items)


# The background job ----------------------------------------------------------------------------------


def params_dict(params: QueryDict) -> dict[str, list[str]]:
    return {key: params.getlist(key) for key in params if key != "page"}


def params_query(params: dict[str, list[str]]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in params.items():
        query.setlist(key, values)
    return query


def export_job_run(*, job_id: int) -> ExportJob:
    """Builds the job's file with the owner's scope and masking as they are now. Safe to run twice: a
    finished job is left alone; one interrupted half-way is built again from the start."""
    job = ExportJob.objects.select_related("owner").get(pk=job_id)
    if job.status == ExportStatus.DONE:
        return job
    owner: User = job.owner
    export = export_for(owner, job.list_key)
    if export is None:
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED, error="您已不能导出这个清单。", finished_at=timezone.now()
        )
        job.refresh_from_db()
        return job
    params = params_query(job.params)
    total = export_count(export=export, user=owner, params=params)
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, total=total, done=0)

    def progress(n: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(done=n)

    content = write_xlsx(export, _rows(export, owner, params), progress)
    job.file.save(file_name(export), ContentFile(content), save=False)
    ExportJob.objects.filter(pk=job.pk).update(
        file=job.file.name, status=ExportStatus.DONE, done=total, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def owned_job(*, user: Any, pk: int) -> ExportJob | None:
    """The job if this user owns it; None for anyone else (who gets a 404, as for a job that does not
    exist)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return ExportJob.objects.filter(pk=pk, owner=user).first()
