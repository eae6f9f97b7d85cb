from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .access import can_create_households, scope_of


@login_required
def home(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    return render(
        request,
        "home.html",
        {
            "assignments": request.user.role_assignments.select_related("org_unit"),  # type: ignore[union-attr]
            "reads_households": scope.reads_any_household,
            "can_create": can_create_households(request.user),
        },
    )
