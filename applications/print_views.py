"""The printed forms of a case, as inline PDFs. Access is decided in accounts.access only."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from accounts.access import application_read_filter, filing_queue_bureaus, sees_full_id_numbers
from daye_relief.pdf import render_pdf
from journal import services as journal
from journal.codes import Action, ObjectKind

from .models import Application, Filing
from .printing import FORMS, form_context
from .workflow import may

_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]")


def bureau_may_print_filing(user: Any, application: Application) -> bool:
    """A bureau's reviewer prints the filing sheet they sign: of a case filed with their bureau."""
    bureaus = filing_queue_bureaus(user)
    return bool(bureaus) and Filing.objects.filter(application=application, bureau__in=bureaus).exists()


@login_required
def print_form(request: HttpRequest, pk: int, form: str) -> HttpResponse:
    """One form of one case: 404 when the case is out of scope, the form unknown or not yet available; 403
    when the user may read the case but not print it."""
    application = (
        Application.objects.filter(application_read_filter(request.user), pk=pk)
        .select_related("household", "town")
        .first()
    )
    if application is None:
        raise Http404("没有找到该案件，或您无权查看。")
    spec = FORMS.get(form)
    if spec is None:
        raise Http404("没有这种表单。")
    if not (
        may(request.user, "print", application)
        or (form == "filing" and bureau_may_print_filing(request.user, application))
    ):
        raise PermissionDenied("您的角色不能打印该案件的这份表单。")
    if not spec.available(application):
        raise Http404(spec.unavailable_message)
    context = form_context(application, form, full_id_numbers=sees_full_id_numbers(request.user))
    pdf = render_pdf(spec.template, context)
    journal.note(
        request,
        Action.PRINT_FORM,
        object_kind=ObjectKind.CASE,
        object_id=application.pk,
        household_id=application.household_id,
        town_id=application.town_id,
        detail={"form": form, "full_ids": sees_full_id_numbers(request.user)},
    )
    filename = _UNSAFE_FILENAME.sub("_", f"{application.case_number}-{form}.pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
