"""Deleting what online intake keeps no longer: an accepted application's own copies of its files (the
case has them), and an application marked as spam SPAM_KEPT_DAYS days ago (the daily job)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from .codes import SPAM_KEPT_DAYS, Status
from .models import OnlineApplication


def remove_files(online: OnlineApplication) -> None:
    for item in online.documents.all():
        item.file.delete(save=False)
        if item.thumbnail:
            item.thumbnail.delete(save=False)
    online.documents.all().delete()


def online_spam_purge(*, now: Any = None) -> int:
    """The daily job: deletes the applications marked as spam more than SPAM_KEPT_DAYS days ago, files
    included. Safe to run twice."""
    cutoff = (now or timezone.now()) - timedelta(days=SPAM_KEPT_DAYS)
    count = 0
    for online in OnlineApplication.objects.filter(status=Status.SPAM, handled_at__lt=cutoff):
        with transaction.atomic():
            remove_files(online)
            online.history.all().delete()
            online.delete()
            count += 1
    return count
