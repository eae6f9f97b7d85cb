"""Social forces pages (社会力量, DESIGN §3.8): the projects and volunteers (registered by the civil-affairs
bureau), households' needs in the user's scope, matching and the help given. Access: accounts.access."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.access import (
    can_match_needs,
    can_record_needs,
    can_register_social_resources,
    can_view_social_resources,
    household_read_filter,
    scope_of,
)
from accounts.actors import signed_in
from daye_relief.forms import run_service
from households.selectors.households import household_get

from . import selectors, services
from .forms import HelpForm, NeedFilterForm, NeedForm, ResourceFilterForm, SocialResourceForm
from .models import NeedMatch, SocialResource


@login_required
def resource_list(request: HttpRequest) -> HttpResponse:
    if not can_view_social_resources(request.user):
        raise PermissionDenied("您的角色不能查看社会力量。")
    form = ResourceFilterForm(request.GET or None)
    need_kind = form.cleaned_data["need_kind"] if form.is_valid() else ""
    page = Paginator(selectors.resource_list(user=request.user, need_kind=need_kind), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "charities/resource_list.html",
        {"form": form, "page": page, "can_register": can_register_social_resources(request.user)},
    )


@login_required
def resource_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not can_register_social_resources(request.user):
        raise PermissionDenied("社会力量由市民政局登记。")
    resource = get_object_or_404(SocialResource, pk=pk) if pk is not None else None
    form = SocialResourceForm(request.POST or None, instance=resource)
    if request.method == "POST" and form.is_valid():
        data, towns = form.cleaned_data, form.cleaned_data["towns"]
        saved = run_service(
            request,
            lambda: (
                services.social_resource_update(
                    resource=resource, data=data, towns=towns, acting_user=signed_in(request)
                )
                if resource is not None
                else services.social_resource_register(data=data, towns=towns, acting_user=signed_in(request))
            ),
            form=form,
        )
        if saved is not None:
            messages.success(request, f"已保存“{saved.name}”。")
            return redirect("charities:resources")
    title = f"修改 {resource.name}" if resource else "登记慈善项目或志愿者"
    return render(
        request, "charities/form.html", {"form": form, "title": title, "back": "charities:resources"}
    )


@login_required
def need_list(request: HttpRequest) -> HttpResponse:
    if not scope_of(request.user).reads_any_household:
        raise PermissionDenied("您的角色不能查看帮扶需求。")
    form = NeedFilterForm(request.GET or None)
    status = kind = ""
    if form.is_valid():
        status, kind = form.cleaned_data["status"], form.cleaned_data["kind"]
    page = Paginator(selectors.need_list(user=request.user, status=status, kind=kind), 50).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "charities/need_list.html", {"form": form, "page": page, "query": query.urlencode()}
    )


@login_required
def need_create(request: HttpRequest, pk: int) -> HttpResponse:
    household = household_get(user=request.user, pk=pk)
    if not can_record_needs(request.user, household):
        raise PermissionDenied("帮扶需求由家庭所在镇或村(居)登记。")
    form = NeedForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        need = run_service(
            request,
            lambda: services.need_record(
                household=household,
                member=data["member"],
                kind=data["kind"],
                description=data["description"],
                acting_user=signed_in(request),
            ),
            form=form,
        )
        if need is not None:
            messages.success(request, "已登记帮扶需求。")
            return redirect("charities:need", pk=need.pk)
    return render(
        request,
        "charities/form.html",
        {"form": form, "title": f"登记帮扶需求（家庭 {household.household_number}）", "household": household},
    )


@login_required
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = selectors.need_detail(user=request.user, pk=pk)
    if need is None:
        raise Http404("没有找到该需求，或您无权查看。")
    can_match = can_match_needs(request.user, need.household)
    return render(
        request,
        "charities/need_detail.html",
        {
            "need": need,
            "can_match": can_match,
            "can_close": can_match or can_record_needs(request.user, need.household),
            "candidates": list(selectors.match_candidates(need=need)) if can_match else [],
        },
    )


@login_required
@require_POST
def need_match(request: HttpRequest, pk: int) -> HttpResponse:
    need = selectors.need_detail(user=request.user, pk=pk)
    if need is None:
        raise Http404("没有找到该需求，或您无权查看。")
    if not can_match_needs(request.user, need.household):
        raise PermissionDenied("需求对接由市民政局或家庭所在镇办理。")
    resource = get_object_or_404(SocialResource, pk=request.POST.get("resource") or 0)
    if run_service(
        request, lambda: services.need_match(need=need, resource=resource, acting_user=signed_in(request))
    ):
        messages.success(request, f"已对接“{resource.name}”。")
    return redirect("charities:need", pk=need.pk)


@login_required
@require_POST
def need_close(request: HttpRequest, pk: int) -> HttpResponse:
    need = selectors.need_detail(user=request.user, pk=pk)
    if need is None:
        raise Http404("没有找到该需求，或您无权查看。")
    if not (can_match_needs(request.user, need.household) or can_record_needs(request.user, need.household)):
        raise PermissionDenied("您不能关闭该需求。")
    if run_service(request, lambda: services.need_close(need=need, acting_user=signed_in(request))):
        messages.success(request, "已关闭该需求。")
    return redirect("charities:need", pk=need.pk)


@login_required
def help_record(request: HttpRequest, pk: int) -> HttpResponse:
    match = (
        NeedMatch.objects.filter(household_read_filter(request.user, prefix="need__household__"), pk=pk)
        .select_related("need__household__village__parent", "resource")
        .first()
    )
    if match is None:
        raise Http404("没有找到该对接，或您无权查看。")
    if not can_match_needs(request.user, match.need.household):
        raise PermissionDenied("帮扶情况由市民政局或家庭所在镇登记。")
    form = HelpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            request,
            lambda: services.help_given_record(
                match=match,
                received_on=data["received_on"],
                amount=data["amount"],
                note=data["note"],
                acting_user=signed_in(request),
            ),
            form=form,
        )
        if done is not None or not form.errors:
            if done is not None:
                messages.success(request, "已登记帮扶情况，记入家庭的救助帮扶记录。")
            return redirect("charities:need", pk=match.need_id)
    return render(
        request,
        "charities/form.html",
        {"form": form, "title": f"登记帮扶情况：{match.resource.name}", "household": match.need.household},
    )
