"""Per-department delivery summaries for a period (DESIGN §3.6): delivered / missing / rows / rejected /
warnings, recomputed from the imports so that a re-run gives the same figures."""

from __future__ import annotations

from django.db.models import Count, Q, Sum

from accounts.glossary import OrgKind
from accounts.models import OrgUnit

from ..datasets import DATASETS
from ..glossary import ImportStatus
from ..models import DatasetImport, DeliverySummary, Warning


def delivering_departments() -> list[OrgUnit]:
    codes = {d.department for d in DATASETS.values()}
    return list(OrgUnit.objects.filter(kind=OrgKind.DEPARTMENT, code__in=codes).order_by("code"))


def delivery_summary_refresh(*, period: str, department: OrgUnit) -> DeliverySummary:
    done = DatasetImport.objects.filter(period=period, department=department, status=ImportStatus.DONE)
    figures = done.aggregate(n=Count("pk"), rows=Sum("rows"), valid=Sum("valid"))
    warnings = Warning.objects.filter(Q(source_row__dataset_import__in=done.values("pk"))).count()
    summary, _ = DeliverySummary.objects.update_or_create(
        period=period,
        department=department,
        defaults={
            "delivered": bool(figures["n"]),
            "imports": figures["n"] or 0,
            "rows": figures["rows"] or 0,
            "rejected": (figures["rows"] or 0) - (figures["valid"] or 0),
            "warnings": warnings,
        },
    )
    return summary


def delivery_summaries_refresh(*, period: str) -> list[DeliverySummary]:
    """Every delivering department's summary for the period; one that delivered nothing is missing."""
    return [delivery_summary_refresh(period=period, department=d) for d in delivering_departments()]
