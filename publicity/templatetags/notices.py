"""What the case pages show of the notice: the objections raised against the case and their answers."""

from __future__ import annotations

from typing import Any

from django import template

from accounts.access import can_record_objections_in

from ..models import Objection

register = template.Library()


@register.inclusion_tag("publicity/_case_objections.html", takes_context=True)
def case_objections(context: dict[str, Any], application: Any) -> dict[str, Any]:
    """The objections to this case, newest first, with an answer form for whoever may answer."""
    request = context.get("request")
    objections = list(
        Objection.objects.filter(item__application=application)
        .select_related("item__notice__village", "answered_by", "recorded_by")
        .order_by("-received_on", "-pk")
    )
    household = application.household
    user = getattr(request, "user", None)
    can_answer = user is not None and can_record_objections_in(
        user, household.village_id, getattr(application, "town_id", None)
    )
    return {
        "objections": objections,
        "can_answer": can_answer,
        "next": request.get_full_path() if request else "",
        "csrf_token": context.get("csrf_token"),
    }
