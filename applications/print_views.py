"""The printed forms of a case, as inline PDFs. Access is decided in accounts.access only."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from accounts.access import application_read_filter, has_role, sees_full_id_numbers
from accounts.glossary import Role

from .actions import may
from .models import Application
from .printing import FORMS, form_context, render_pdf

_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]")


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
    if not (
        may(request.user, "print", application)
        or has_role(request.user, Role.CIVIL_AFFAIRS_REVIEWER, Role.AGRI_BUREAU_REVIEWER)
    ):
        raise PermissionDenied("您的角色不能打印该案件的表单。")
    spec = FORMS.get(form)
    if spec is None:
        raise Http404("没有这种表单。")
    if not spec.available(application):
        raise Http404(spec.unavailable_message)
    context = form_context(application, form, full_id_numbers=sees_full_id_numbers(request.user))
    pdf = render_pdf(spec.template, context)
    filename = _UNSAFE_FILENAME.sub("_", f"{application.case_number}-{form}.pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
