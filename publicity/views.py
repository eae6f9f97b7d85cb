"""The village's notice board in the system: compose, edit or delete a draft, post, record objections,
answer, close, print the board copy."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.access import can_record_objections_in, can_run_notices_in, scope_of, villages_readable_filter
from accounts.actors import signed_in
from accounts.glossary import Role
from accounts.models import OrgUnit
from daye_relief.forms import run_service

from . import printing, selectors, services
from .forms import AnswerForm, NoticeForm, ObjectionForm
from .models import Notice, NoticeItem, Objection
from .panels import NOTICE_PANELS
from .workflow import NOTICE


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


def _running(request: HttpRequest, pk: int, verb: str) -> Notice:
    notice = _notice(request, pk)
    if not can_run_notices_in(request.user, notice.village_id):
        raise PermissionDenied(f"只有本村(居)委会可以{verb}本村的公示。")
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
    village = get_object_or_404(OrgUnit.objects.select_related("parent"), pk=village_pk, kind="village")
    if not can_run_notices_in(request.user, village.pk):
        raise PermissionDenied("只有本村(居)委会可以编排本村的公示。")
    form = NoticeForm(request.POST or None, choices=selectors.awaiting_notice(village=village))
    if request.method == "POST" and form.is_valid():
        notice = run_service(
            request,
            lambda: services.notice_create(
                village=village,
                applications=list(form.cleaned_data["applications"]),
                acting_user=signed_in(request),
            ),
            form=form,
        )
        if notice is not None:
            messages.success(request, "公示已编排（待张贴），请核对后张贴。")
            return redirect("publicity:notice", pk=notice.pk)
    return render(request, "publicity/notice_form.html", {"form": form, "village": village, "notice": None})


@login_required
def notice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _running(request, pk, "修改")
    if not NOTICE.allows("edit", notice.status):
        messages.error(request, "已张贴的公示不能再修改。")
        return redirect("publicity:notice", pk=notice.pk)
    form = NoticeForm(
        request.POST or None,
        choices=selectors.draft_choices(notice=notice),
        initial={"applications": list(notice.items.values_list("application_id", flat=True))},
    )
    if request.method == "POST" and form.is_valid():
        updated = run_service(
            request,
            lambda: services.notice_update(
                notice=notice,
                applications=list(form.cleaned_data["applications"]),
                acting_user=signed_in(request),
            ),
            form=form,
        )
        if updated is not None:
            messages.success(request, "已保存修改（待张贴）。")
            return redirect("publicity:notice", pk=notice.pk)
    return render(
        request, "publicity/notice_form.html", {"form": form, "village": notice.village, "notice": notice}
    )


@login_required
@require_POST
def notice_delete(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _running(request, pk, "删除")
    if run_service(request, lambda: services.notice_delete(notice=notice, acting_user=signed_in(request))):
        messages.success(request, "已删除这份待张贴的公示，其中的案件重新等待公示。")
        return redirect("publicity:board")
    return redirect("publicity:notice", pk=notice.pk)


@login_required
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk)
    return render(
        request,
        "publicity/notice_detail.html",
        {
            "notice": notice,
            "rows": selectors.staff_rows(notice=notice),
            "contact": notice.contact
            or (notice.village.parent.contact_phone if notice.village.parent else ""),
            "window_open": selectors.window_open(notice),
            "can_run": can_run_notices_in(request.user, notice.village_id),
            "can_object": can_record_objections_in(request.user, notice.village_id, notice.village.parent_id),
            "panels": NOTICE_PANELS.render(request, notice),
        },
    )


@login_required
@require_POST
def notice_post(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _running(request, pk, "张贴")
    if run_service(request, lambda: services.notice_post(notice=notice, acting_user=signed_in(request))):
        messages.success(request, "已张贴，公示期开始。")
    return redirect("publicity:notice", pk=notice.pk)


@login_required
@require_POST
def notice_close(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _running(request, pk, "结束")
    if run_service(request, lambda: services.notice_close(notice=notice, acting_user=signed_in(request))):
        messages.success(request, "公示已结束，无异议的案件已转镇集体研判。")
    return redirect("publicity:notice", pk=notice.pk)


@login_required
def notice_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The copy for the village's fixed board: full names (DESIGN §3.4), so staff only."""
    notice = _notice(request, pk)
    return printing.pdf_response(
        request,
        "publicity/print_notice.html",
        {
            "notice": notice,
            "items": selectors.board_notice(notice),
            "committee": selectors.committee_name(notice.village),
            "application_type": selectors.APPLICATION_TYPE,
        },
        public_path=f"/public/notices/{notice.pk}/",
        filename=f"notice-{notice.pk}-board",
    )


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
        recorded = run_service(
            request,
            lambda: services.objection_record(item=item, acting_user=signed_in(request), **form.cleaned_data),
            form=form,
        )
        if recorded is not None:
            messages.success(request, f"已登记异议，案件 {item.application.case_number} 退回镇里重新调查。")
            return redirect("publicity:notice", pk=notice.pk)
    return render(
        request,
        "publicity/objection_form.html",
        {"form": form, "item": item, "notice": notice, "window_open": selectors.window_open(notice)},
    )


@login_required
@require_POST
def objection_answer(request: HttpRequest, pk: int) -> HttpResponse:
    objection = get_object_or_404(Objection.objects.select_related("item__notice__village"), pk=pk)
    notice = _notice(request, objection.item.notice_id)
    if not can_record_objections_in(request.user, notice.village_id, notice.village.parent_id):
        raise PermissionDenied("只有本村(居)委会或镇社会事务办可以答复异议。")
    form = AnswerForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, "；".join(str(e) for e in errors))
    elif run_service(
        request,
        lambda: services.objection_answer(
            objection=objection, answer=form.cleaned_data["answer"], acting_user=signed_in(request)
        ),
    ):
        messages.success(request, "已记录答复。")
    # The case page answers objections too, and returns there.
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("publicity:notice", pk=notice.pk)
