"""The family's pages (no login, phone first): the online application with its receipt, and the progress
query (DESIGN §3.12)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from accounts.models import OrgUnit
from daye_relief.errors import InvalidInput
from eligibility.self_check import SelfCheck
from eligibility.throttling import ClientCounter, self_check_allowed

from . import selectors
from .codes import SUBMITTED_WORDS
from .forms import (
    ApplyForm,
    OnlineHouseholdForm,
    OnlineMemberFormSet,
    document_fields,
)
from .services import Submission, Upload, online_application_submit

RECEIPT_KEY = "online_receipt"
PROGRESS_SCOPE = "progress_wrong_try"


def wrong_tries() -> ClientCounter:
    """One counter of wrong progress queries per client, shared by the page and the API."""
    return ClientCounter(PROGRESS_SCOPE, settings.PROGRESS_WRONG_TRY_RATE)


def _limited(request: HttpRequest, template: str = "online/limited.html") -> HttpResponse:
    return render(request, template, status=429)


def _robots(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow, noarchive"
    return response


def uploads_of(request: HttpRequest) -> list[Upload]:
    return [
        Upload(kind=name.removeprefix("doc_"), name=file.name or "", source=file)
        for name, _label, _help in document_fields()
        for file in request.FILES.getlist(name)
    ]


def _place(errors: dict[str, list[str]], form: ApplyForm, member_forms: Any) -> list[str]:
    """A service's refusal beside its field: the form's own fields, a member's ID, or the documents (top)."""
    loose: list[str] = []
    for key, messages in errors.items():
        if key in form.fields:
            for message in messages:
                form.add_error(key, message)
        elif key == "members[0].id_number":
            for message in messages:
                member_forms[0].add_error("id_number", message)
        else:
            loose += messages
    return loose


@never_cache
def apply(request: HttpRequest) -> HttpResponse:
    """网上申请: the self-check's forms with names and IDs, the village, the phone, the situation, the
    documents and the commitment; the self-check's result shown beside as a hint. POSTs count against the
    self-check's rate limit; the honeypot field refuses a script."""
    if request.method == "POST" and not self_check_allowed(request):
        return _robots(_limited(request))
    today = timezone.localdate()
    data = request.POST if request.method == "POST" else None
    form = ApplyForm(data)
    household_form = OnlineHouseholdForm(data, prefix="h")
    member_forms = OnlineMemberFormSet(data, prefix="m", form_kwargs={"today": today})
    context: dict[str, Any] = {
        "form": form,
        "household_form": household_form,
        "member_forms": member_forms,
        "document_fields": document_fields(),
    }
    if request.method == "POST":
        if form.is_bot():
            return _robots(render(request, "online/refused.html", status=400))
        check = SelfCheck(household_form, member_forms, today=today)
        evaluation = check.run()
        form_ok = form.is_valid()
        context.update(check.context())
        loose: list[str] = []
        if evaluation is not None and form_ok:
            submission = Submission(
                village=OrgUnit.objects.select_related("parent").get(pk=form.cleaned_data["village"]),
                phone=form.cleaned_data["phone"],
                situation=form.cleaned_data["situation"],
                asked=form.cleaned_data["asked"],
                commitment_name=form.cleaned_data["commitment_name"],
                members=check.members,
                household_facts=household_form.cleaned_data,
                hint=evaluation.to_json(),
                uploads=uploads_of(request),
            )
            try:
                online, code = online_application_submit(submission=submission)
            except InvalidInput as refused:
                loose = _place(refused.errors or {"": refused.messages}, form, member_forms)
            except ValidationError as refused:
                loose = list(refused.messages)
            else:
                request.session[RECEIPT_KEY] = {"number": online.number, "code": code}
                return redirect("online:receipt")
        context["problems"] = [*loose, *_form_problems(form), *check.problems()]
    return _robots(render(request, "online/apply.html", context))


def _form_problems(form: ApplyForm) -> list[str]:
    return [
        f"{form.fields[name].label}：{message}" if name in form.fields else str(message)
        for name, messages in form.errors.items()
        for message in messages
    ]


@never_cache
def receipt(request: HttpRequest) -> HttpResponse:
    """The receipt, shown once: the number and the query code leave the session as they are shown."""
    shown = request.session.pop(RECEIPT_KEY, None)
    if shown is None:
        return redirect("online:progress")
    online = selectors.receipt_facts(shown["number"])
    return _robots(
        render(request, "online/receipt.html", {"number": shown["number"], "code": shown["code"], **online})
    )


@never_cache
def progress(request: HttpRequest) -> HttpResponse:
    """办理进度查询: number (or ID number) and query code, by POST so that the code stays out of the address
    and the server's logs. Wrong pairs count; after PROGRESS_WRONG_TRY_RATE the client waits."""
    context: dict[str, Any] = {"submitted_words": SUBMITTED_WORDS}
    if request.method == "POST":
        counter = wrong_tries()
        if counter.full(request):
            return _robots(_limited(request))
        number = request.POST.get("number", "")[:40]
        id_number = request.POST.get("id_number", "")[:40]
        code = request.POST.get("code", "")[:20]
        found = (
            selectors.progress(number=number, id_number=id_number, code=code)
            if code.strip() and (number.strip() or id_number.strip())
            else None
        )
        if found is None:
            counter.hit(request)
            context["not_found"] = True
        context.update({"found": found, "number": number.strip(), "id_given": bool(id_number.strip())})
    return _robots(render(request, "online/progress.html", context))
