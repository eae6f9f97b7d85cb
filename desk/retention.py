"""How long a list export's file is kept (DESIGN §3.10): a file with full ID numbers should not lie on
the server once its owner has downloaded it. A daily job deletes every export older than
`settings.EXPORT_RETENTION_DAYS` (7 unless a deployment sets another), its file and its row; the export
page says so."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import ExportJob

logger = logging.getLogger(__name__)


def retention_days() -> int:
    return int(settings.EXPORT_RETENTION_DAYS)


def exports_expired_delete(*, now: datetime | None = None) -> int:
    """Deletes the exports made more than the retention period before `now`, files first; returns how
    many. A file already gone from the storage is no reason to keep the row."""
    cutoff = (now or timezone.now()) - timedelta(days=retention_days())
    deleted = 0
    for job in ExportJob.objects.filter(created_at__lt=cutoff).order_by("pk"):
        with transaction.atomic():
            if job.file:
                job.file.delete(save=False)
            job.delete()
        deleted += 1
    if deleted:
        logger.info("deleted %d exports made before %s", deleted, cutoff.isoformat())
    return deleted
