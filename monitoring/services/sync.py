"""The monthly sync (DESIGN §3.6): every configured source ({period} in a folder path or an HTTPS URL) is
pulled, imported, matched and warned on, and each department's delivery summary is left for the bureaus.
Keyed by the period: a file already imported for the period is recognised by its SHA-256 and imports
nothing, so a second run, or a run after a worker died half-way, gives one clean run's result."""

from __future__ import annotations

import logging
import tempfile
import urllib.request
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from accounts.models import OrgUnit

from ..datasets import DATASETS
from ..glossary import ImportChannel
from ..models import SyncSource
from ..parsing import FileUnusable, period_bounds
from .deliveries import delivery_summaries_refresh
from .imports import dataset_import_now

logger = logging.getLogger(__name__)


def previous_period(today: date) -> str:
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return f"{year:04d}-{month:02d}"


def _fetch(location: str, into: Path) -> Path | None:
    """The source's file for the period copied into `into`, or None when it is not there (yet)."""
    scheme = urlsplit(location).scheme
    if scheme in ("http", "https"):
        if scheme == "http" and not getattr(settings, "MONITORING_SYNC_ALLOW_HTTP", False):
            raise FileUnusable("同步地址须为 HTTPS。", code="insecure_source")
        target = into / (Path(urlsplit(location).path).name or "data")
        try:
            with urllib.request.urlopen(location, timeout=60) as response, target.open("wb") as out:  # noqa: S310
                for block in iter(lambda: response.read(1 << 20), b""):
                    out.write(block)
        except OSError as error:
            logger.warning("sync source unreachable: %s (%s)", location, error)
            return None
        return target
    path = Path(location)
    return path if path.is_file() else None


def monthly_sync(*, period: str) -> dict[str, Any]:
    period_bounds(period)
    results: dict[str, Any] = {"period": period, "imports": {}, "missing": [], "failed": {}}
    with tempfile.TemporaryDirectory() as workdir:
        for source in SyncSource.objects.filter(enabled=True).order_by("dataset"):
            dataset = DATASETS[source.dataset]
            department = OrgUnit.objects.filter(code=dataset.department).first()
            if department is None:
                continue
            location = source.location.replace("{period}", period)
            try:
                path = _fetch(location, Path(workdir))
                if path is None:
                    results["missing"].append(dataset.key)
                    continue
                with path.open("rb") as binary:
                    outcome = dataset_import_now(
                        dataset_key=dataset.key,
                        period=period,
                        binary=binary,
                        file_name=path.name,
                        department=department,
                        channel=ImportChannel.SYNC,
                    )
                results["imports"][dataset.key] = outcome.report()
            except FileUnusable as error:
                results["failed"][dataset.key] = error.message
    delivery_summaries_refresh(period=period)
    return results
