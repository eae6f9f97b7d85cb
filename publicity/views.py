"""The village's notice board in the system: compose, post, record objections, answer, close."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.access import can_record_objections_in, can_run_notices_in, scope_of, villages_readable_filter
from accounts.glossary import Role
from accounts.models import OrgUnit
from daye_relief.errors import InvalidTransition
from daye_relief.forms import add_service_errors

from . import selectors, services
from .forms import AnswerForm, CloseForm, NoticeCreateForm, ObjectionForm, PostForm
from .models import Notice, NoticeItem, Objection


def _notice(request: HttpRequest, pk: int) -> Notice:
    notice = (
        Notice.objects.filter(
            village__in=OrgUnit.objects.filter(villages_readable_filter(request.user)), pk=pk
        )
        .select_related("village__parent", "created_by")
        .first()
    )
    if notice is None:
        raise Http404("没有找到该公示，或您无权查看。")
    return notice


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """The village staff's (and the town clerk's) list: cases awaiting a notice, and the notices."""
    scope = scope_of(request.user)
    if not scope.reads_any_household:
        raise PermissionDenied("您的角色不能查看公示。")
    my_villages = OrgUnit.objects.filter(
        pk__in=[unit for role, unit in scope.assignments if role == Role.VILLAGE_STAFF]
    )
    return render(
        request,
        "publicity/board.html",
        {
            "awaiting": [(v, list(selectors.awaiting_notice(village=v))) for v in my_villages],
            "notices": selectors.staff_notices(user=request.user)[:50],
        },
    )


@login_required
def notice_create(request: HttpRequest, village_pk: int) -> HttpResponse:
    village = get_object_or_404(OrgUnit, pk=village_pk, kind="village")
    if not can_run_notices_in(request.user, village.pk):
        raise PermissionDenied("只有本村(居)委会可以编排本村的公示。")
    form = NoticeCreateForm(request.POST or None, awaiting=selectors.awaiting_notice(village=village))
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.notice_create(
                village=village,
                applications=list(form.cleaned_data["applications"]),
                title=form.cleaned_data["title"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "公示已编排，请核对后张贴。")
            return redirect("publicity:notice", pk=notice.pk)
    return render(request, "publicity/notice_form.html", {"form": form, "village": village})


@login_required
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk)
    items = list(
        notice.items.select_related(
            "application__applicant", "application__assessment", "application__household__village"
        ).prefetch_related("objections__recorded_by", "objections__answered_by")
    )
    masked = selectors.names_masked(notice.village)
    town_id = notice.village.parent_id
    return render(
        request,
        "publicity/notice_detail.html",
        {
            "notice": notice,
            "rows": [(item, selectors.public_item(item, masked=masked)) for item in items],
            "can_run": can_run_notices_in(request.user, notice.village_id),
            "can_object": can_record_objections_in(request.user, notice.village_id, town_id),
            "post_form": PostForm(),
            "close_form": CloseForm(),
            "objection_form": ObjectionForm(),
            "answer_form": AnswerForm(),
        },
    )


def _act(request: HttpRequest, notice: Notice, form: Form, action: str) -> HttpResponse:
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, "；".join(str(e) for e in errors))
        return redirect("publicity:notice", pk=notice.pk)
    try:
        if action == "post":
            services.notice_post(notice=notice, acting_user=request.user, **form.cleaned_data)
            messages.success(request, "已张贴，公示期开始。")
        else:
            services.notice_close(notice=notice, acting_user=request.user, **form.cleaned_data)
            messages.success(request, "公示已结束，无异议的案件已转镇集体研判。")
    except ValidationError as exc:
        for field_errors in exc.message_dict.values():
            messages.error(request, "；".join(field_errors))
    except InvalidTransition as exc:
        messages.error(request, str(exc))
    return redirect("publicity:notice", pk=notice.pk)


@login_required
@require_POST
def notice_post(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk)
    if not can_run_notices_in(request.user, notice.village_id):
        raise PermissionDenied("只有本村(居)委会可以张贴本村的公示。")
    return _act(request, notice, PostForm(request.POST), "post")


@login_required
@require_POST
def notice_close(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk)
    if not can_run_notices_in(request.user, notice.village_id):
        raise PermissionDenied("只有本村(居)委会可以结束本村的公示。")
    return _act(request, notice, CloseForm(request.POST), "close")


@login_required
def objection_create(request: HttpRequest, item_pk: int) -> HttpResponse:
    item = get_object_or_404(
        NoticeItem.objects.select_related("notice__village", "application__applicant"), pk=item_pk
    )
    notice = _notice(request, item.notice_id)
    if not can_record_objections_in(request.user, notice.village_id, notice.village.parent_id):
        raise PermissionDenied("只有本村(居)委会或镇社会事务办可以登记异议。")
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_record(item=item, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except InvalidTransition as exc:
            messages.error(request, str(exc))
            return redirect("publicity:notice", pk=notice.pk)
        else:
            messages.success(request, f"已登记异议，案件 {item.application.case_number} 退回镇里重新调查。")
            return redirect("publicity:notice", pk=notice.pk)
    return render(request, "publicity/objection_form.html", {"form": form, "item": item, "notice": notice})


@login_required
@require_POST
def objection_answer(request: HttpRequest, pk: int) -> HttpResponse:
    objection = get_object_or_404(Objection.objects.select_related("item__notice__village"), pk=pk)
    notice = _notice(request, objection.item.notice_id)
    if not can_record_objections_in(request.user, notice.village_id, notice.village.parent_id):
        raise PermissionDenied("只有本村(居)委会或镇社会事务办可以答复异议。")
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.objection_answer(objection=objection, acting_user=request.user, **form.cleaned_data)
            messages.success(request, "已记录答复。")
        except (ValidationError, InvalidTransition) as exc:
            messages.error(request, exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
    else:
        messages.error(request, "请填写答复内容和日期。")
    return redirect("publicity:notice", pk=notice.pk)
