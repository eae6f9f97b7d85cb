"""The town clerk's side of online applications: the inbox, one application beside the stored household it
may join, and the ways to take it on — the ordinary intake prefilled, an adjustment, the running case — or
to mark it as spam (DESIGN §3.12)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.access import scope_of, sees_full_id_numbers
from accounts.actors import signed_in
from accounts.glossary import OrgKind, Role
from accounts.models import OrgUnit
from applications.models import Application
from applications.selectors import household_intake_refusal, household_open_case
from daye_relief.forms import run_service
from households.glossary import Relation
from households.models import Household
from journal import services as journal
from journal.codes import Action, ObjectKind

from . import selectors, services
from .codes import Asked, Status
from .forms import (
    KIND_LABELS,
    MemberFormSet,
    OnlineAdjustmentForm,
    OnlineHouseholdRegisterForm,
    OnlineIntakeForm,
    OnlineIntoHouseholdForm,
    member_initial,
)
from .models import OnlineApplication, OnlineDocument
from .panels import hint_of, typed_members

RELATIONS = dict(Relation.choices)
ASKED = dict(Asked.choices)


def _require_clerk(request: HttpRequest) -> None:
    if Role.TOWN_CLERK not in scope_of(request.user).roles:
        raise PermissionDenied("只有镇社会事务办可以处理线上申请。")


def _online(request: HttpRequest, pk: int) -> OnlineApplication:
    """One online application of the clerk's town; any other answers 404 (nothing said of other towns)."""
    _require_clerk(request)
    online = (
        OnlineApplication.objects.select_related("village", "town", "application")
        .filter(pk=pk, town_id__in=sorted(scope_of(request.user).write_towns))
        .first()
    )
    if online is None:
        raise Http404("没有找到这份线上申请。")
    return online


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    _require_clerk(request)
    status = request.GET.get("status", Status.SUBMITTED)
    if status not in (Status.SUBMITTED, Status.SPAM):
        status = Status.SUBMITTED
    rows = list(selectors.inbox(user=request.user, status=status)[:200])
    matches = selectors.stored_matches(rows, user=request.user)
    return render(
        request,
        "online/inbox.html",
        {
            "rows": [(online, matches.get(online.pk), hint_of(online)) for online in rows],
            "status": status,
            "full_ids": sees_full_id_numbers(request.user),
            "asked": ASKED,
        },
    )


def _situation_of(household: Household | None) -> dict[str, Any]:
    if household is None:
        return {}
    open_case = household_open_case(household)
    refusal = household_intake_refusal(household, on=timezone.localdate())
    return {
        "open_case": open_case,
        "enrolled": refusal is not None and refusal.code == "enrolled",
        "stored_members": household.members.filter(is_active=True).order_by("pk"),
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    online = _online(request, pk)
    full_ids = sees_full_id_numbers(request.user)
    journal.note(  # a family's typed data, its ID numbers in full for the roles that see them
        request,
        Action.VIEW_MEMBER_FULL_ID if full_ids else Action.VIEW_HOUSEHOLD,
        object_kind=ObjectKind.ONLINE,
        object_id=online.number,
        town_id=online.town_id,
        id_number=online.id_number,
        detail={"members": len(online.members), "full_ids": full_ids},
    )
    household = selectors.stored_household(online, user=request.user)
    return render(
        request,
        "online/detail.html",
        {
            "online": online,
            "members": typed_members(online, full_ids=full_ids),
            "facts": online.household_facts,
            "asked": [ASKED.get(code, code) for code in online.asked],
            "hint": hint_of(online),
            "documents": list(online.documents.all()),
            "kind_labels": KIND_LABELS,
            "household": household,
            "full_ids": full_ids,
            **_situation_of(household),
        },
    )


def _done(request: HttpRequest, application: Application, how: str) -> HttpResponse:
    messages.success(request, f"{how}，案件编号 {application.case_number}。线上提交的材料已归入案件。")
    return redirect("applications:detail", pk=application.pk)


@login_required
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    """受理: the ordinary intake, prefilled from what the family typed. A family not yet registered is
    registered first (household and members, as the clerk confirms them); a stored household is chosen
    by the clerk, and nothing typed changes it."""
    online = _online(request, pk)
    if online.status != Status.SUBMITTED:
        messages.error(request, f"这份线上申请已{online.get_status_display()}。")
        return redirect("online:detail", pk=online.pk)
    household = selectors.stored_household(online, user=request.user)
    if household is not None:
        return _accept_into(request, online, household)
    data = request.POST if request.method == "POST" else None
    villages = OrgUnit.objects.filter(kind=OrgKind.VILLAGE, parent=online.town).select_related("parent")
    household_form = OnlineHouseholdRegisterForm(
        data,
        villages=villages,
        prefix="h",
        initial={
            "village": online.village_id,
            "hukou_type": online.household_facts.get("hukou_type"),
            "phone": online.phone,
        },
    )
    member_forms = MemberFormSet(
        data,
        prefix="m",
        form_kwargs={"full_ids": True},
        initial=[member_initial(typed, phone=online.phone) for typed in online.members],
    )
    intake_form = OnlineIntakeForm(
        data,
        prefix="i",
        initial={
            "situation": online.situation,
            "commitment_signed_on": timezone.localdate(online.submitted_at),
        },
    )
    if request.method == "POST" and all(
        [household_form.is_valid(), member_forms.is_valid(), intake_form.is_valid()]
    ):
        application = run_service(
            request,
            lambda: services.online_accept_as_new(
                online=online,
                household_data=household_form.cleaned_data,
                members_data=[form.cleaned_data for form in member_forms if form.cleaned_data],
                intake_data=intake_form.cleaned_data,
                acting_user=signed_in(request),
            ),
            form=intake_form,
        )
        if application is not None:
            return _done(request, application, "已登记家庭并受理")
    return render(
        request,
        "online/accept_new.html",
        {
            "online": online,
            "household_form": household_form,
            "member_forms": member_forms,
            "intake_form": intake_form,
            "typed": typed_members(online, full_ids=True),
            "facts": online.household_facts,
        },
    )


def _accept_into(request: HttpRequest, online: OnlineApplication, household: Household) -> HttpResponse:
    situation = _situation_of(household)
    if situation["open_case"] is not None or situation["enrolled"]:
        return redirect("online:detail", pk=online.pk)
    form = OnlineIntoHouseholdForm(
        request.POST or None,
        household=household,
        initial={
            "situation": online.situation,
            "commitment_signed_on": timezone.localdate(online.submitted_at),
        },
    )
    if request.method == "POST" and form.is_valid():
        application = run_service(
            request,
            lambda: services.online_accept_into(
                online=online,
                household=household,
                intake_data=form.cleaned_data,
                acting_user=signed_in(request),
            ),
            form=form,
        )
        if application is not None:
            return _done(request, application, "已受理")
    return render(
        request,
        "online/accept_into.html",
        {
            "online": online,
            "form": form,
            "household": household,
            "typed": typed_members(online, full_ids=sees_full_id_numbers(request.user)),
            "full_ids": sees_full_id_numbers(request.user),
            **situation,
        },
    )


@login_required
def adjust(request: HttpRequest, pk: int) -> HttpResponse:
    """An enrolled household's request: opened as a dynamic adjustment (家庭申请)."""
    online = _online(request, pk)
    household = selectors.stored_household(online, user=request.user)
    if household is None or online.status != Status.SUBMITTED:
        return redirect("online:detail", pk=online.pk)
    form = OnlineAdjustmentForm(
        request.POST or None, initial={"note": online.situation, "opened_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        application = run_service(
            request,
            lambda: services.online_adjustment_open(
                online=online,
                household=household,
                note=form.cleaned_data["note"],
                opened_on=form.cleaned_data["opened_on"],
                acting_user=signed_in(request),
            ),
            form=form,
        )
        if application is not None:
            return _done(request, application, "已按动态调整立案")
    return render(request, "online/adjust.html", {"online": online, "form": form, "household": household})


@login_required
@require_POST
def join(request: HttpRequest, pk: int) -> HttpResponse:
    online = _online(request, pk)
    household = selectors.stored_household(online, user=request.user)
    if household is None:
        return redirect("online:detail", pk=online.pk)
    application = run_service(
        request,
        lambda: services.online_join_case(online=online, household=household, acting_user=signed_in(request)),
    )
    if application is None:
        return redirect("online:detail", pk=online.pk)
    return _done(request, application, "已并入正在办理的案件")


@login_required
@require_POST
def spam(request: HttpRequest, pk: int) -> HttpResponse:
    online = _online(request, pk)
    if run_service(request, lambda: services.online_mark_spam(online=online, acting_user=signed_in(request))):
        messages.success(request, f"已将线上申请 {online.number} 标记为无效申请，30天后自动删除。")
    return redirect("online:inbox")


@login_required
def document_file(request: HttpRequest, pk: int, part: str) -> FileResponse:
    """A file sent with an online application (or its thumbnail), to the clerks of its town only."""
    _require_clerk(request)
    document = (
        OnlineDocument.objects.select_related("online_application")
        .filter(pk=pk, online_application__town_id__in=sorted(scope_of(request.user).write_towns))
        .first()
    )
    if document is None or (part == "thumb" and not document.thumbnail):
        raise Http404("没有找到这份材料。")
    if part == "thumb":
        response = FileResponse(document.thumbnail.open("rb"), content_type="image/jpeg")
    else:
        response = FileResponse(
            document.file.open("rb"),
            content_type=document.content_type,
            filename=f"{document.online_application.number}-{document.pk}{document.suffix}",
        )
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response
