"""The monthly archive of the journal (DESIGN §3.13): rows older than JOURNAL_RETENTION_DAYS (at least 180)
leave the table for a compressed file in the evidence storage, with its SHA-256 and the chain's hash at its
last row, so that the verification goes on from there and the file can be checked on its own."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .chain import FIELDS
from .models import Archive, Entry

MINIMUM_DAYS = 180


def retention_days() -> int:
    return max(MINIMUM_DAYS, int(getattr(settings, "JOURNAL_RETENTION_DAYS", MINIMUM_DAYS)))


def _line(row: dict[str, Any]) -> str:
    return json.dumps(
        {**row, "at": row["at"].isoformat(timespec="microseconds")}, ensure_ascii=False, sort_keys=True
    )


@transaction.atomic
def archive_old_rows(*, now: Any = None) -> Archive | None:
    """Moves the rows older than the retention into one gzip file of JSON lines; None when there are none.
    Safe to run twice: a second run finds nothing older left."""
    cutoff = (now or timezone.now()) - timedelta(days=retention_days())
    rows = list(Entry.objects.filter(at__lt=cutoff).order_by("id").values(*FIELDS))
    if not rows:
        return None
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as out:
        for row in rows:
            out.write((_line(row) + "\n").encode())
    content = buffer.getvalue()
    archive = Archive(
        first_id=rows[0]["id"],
        last_id=rows[-1]["id"],
        count=len(rows),
        last_hash=rows[-1]["hash"],
        sha256=hashlib.sha256(content).hexdigest(),
        until=cutoff,
    )
    archive.file.save(f"journal-{rows[0]['id']}-{rows[-1]['id']}.jsonl.gz", ContentFile(content), save=False)
    archive.save()
    # The one deletion of journal rows, after their file is stored: not through Entry.delete (refused).
    Entry.objects.filter(id__lte=rows[-1]["id"]).delete()
    return archive
