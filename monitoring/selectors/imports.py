"""Reads of imports in the user's scope and of the delivery summaries."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from accounts.access import import_read_filter

from ..models import DatasetImport, DeliverySummary


def import_list(*, user: Any) -> QuerySet[DatasetImport]:
    return DatasetImport.objects.filter(import_read_filter(user)).select_related("department", "uploaded_by")


def import_detail(*, user: Any, pk: int) -> DatasetImport | None:
    return import_list(user=user).filter(pk=pk).first()


def delivery_summaries(*, department_ids: frozenset[int] | None = None) -> QuerySet[DeliverySummary]:
    qs = DeliverySummary.objects.select_related("department")
    if department_ids is not None:
        qs = qs.filter(department_id__in=department_ids)
    return qs.order_by("-period", "department__code")
