"""The pilot evaluation's page and its PDF and XLSX (DESIGN §3.10). Who may read it, and for which
scope, is decided in accounts.access and desk.evaluation; the figures come from desk.evaluation only."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.access import can_read_evaluation
from accounts.models import OrgUnit
from daye_relief.widgets import DateEntry

from .evaluation import evaluation_build, evaluation_pdf, evaluation_towns, evaluation_xlsx
from .evaluation_figures import Period, year_to_date

LONGEST_DAYS = 3 * 366


class EvaluationForm(forms.Form):
    start = forms.DateField(label="起始日期", widget=DateEntry())
    end = forms.DateField(label="截止日期", widget=DateEntry())
    town = forms.ModelChoiceField(
        queryset=OrgUnit.objects.none(), label="评估范围", required=False, empty_label="全市"
    )

    def __init__(self, *args: Any, towns: list[OrgUnit] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if towns is None:
            self.fields["town"].queryset = OrgUnit.objects.filter(kind="town").order_by("code")  # type: ignore[attr-defined]
        else:
            del self.fields["town"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                self.add_error("end", "截止日期不能早于起始日期。")
            elif (end - start).days >= LONGEST_DAYS:
                self.add_error("end", "评估期间最长三年。")
        return data


def _evaluation(request: HttpRequest) -> tuple[EvaluationForm, Any]:
    if not can_read_evaluation(request.user):
        raise PermissionDenied("只有市民政局、市农业农村局和试点镇可以查看试点评估。")
    towns = evaluation_towns(request.user)
    default = year_to_date(timezone.localdate())
    data = request.GET if "start" in request.GET else {"start": default.start, "end": default.end}
    form = EvaluationForm(data, towns=towns)
    if not form.is_valid():
        return form, None
    period = Period(form.cleaned_data["start"], form.cleaned_data["end"])
    town = form.cleaned_data.get("town")
    return form, evaluation_build(user=request.user, period=period, town=town)


def _file_name(evaluation: Any, ext: str) -> str:
    start: date = evaluation.period.start
    end: date = evaluation.period.end
    return f"pilot-evaluation-{start:%Y%m%d}-{end:%Y%m%d}.{ext}"


@login_required
def evaluation_page(request: HttpRequest) -> HttpResponse:
    form, evaluation = _evaluation(request)
    query = request.GET.urlencode() if "start" in request.GET else ""
    return render(
        request,
        "desk/evaluation.html",
        {"form": form, "e": evaluation, "query": query},
        status=200 if evaluation is not None else 400,
    )


@login_required
def evaluation_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("pdf", "xlsx"):
        raise Http404("没有这种格式。")
    form, evaluation = _evaluation(request)
    if evaluation is None:
        return render(request, "desk/evaluation.html", {"form": form, "e": None}, status=400)
    if fmt == "pdf":
        response = HttpResponse(evaluation_pdf(evaluation), content_type="application/pdf")
    else:
        response = HttpResponse(
            evaluation_xlsx(evaluation),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{_file_name(evaluation, fmt)}"'
    return response
