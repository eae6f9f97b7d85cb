"""The steps of a case as forms bound to services: one registry serves the pages and the API alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms

from . import forms as case_forms
from . import services
from .models import Application


@dataclass(frozen=True)
class Step:
    title: str
    form: Callable[..., forms.Form]
    run: Callable[[Application, dict[str, Any], Any, forms.Form], Application]
    done: str


def _decide(application: Application, data: dict[str, Any], user: Any, form: forms.Form) -> Application:
    members = {str(m.pk): m for m in application.household.members.all()}
    decisions = [
        services.Decision(
            category=p["category"],
            member=members.get(p["member_ref"]) if p["member_ref"] else None,
            approved=data[f"decision_{p['key']}"] == "yes",
            reason=data[f"reason_{p['key']}"],
        )
        for p in form.proposals  # type: ignore[attr-defined]
    ]
    if data["case_by_case"]:
        decisions.append(services.Decision("case_by_case", True, data["case_by_case_reason"]))
    return services.application_decide(
        application=application,
        held_on=data["held_on"],
        attendees=list(data["attendees"]),
        attendees_note=data["attendees_note"],
        decisions=decisions,
        reason=data["reason"],
        approved_by=user,
        acting_user=user,
    )


STEPS: dict[str, Step] = {
    "start_investigation": Step(
        "启动调查",
        case_forms.StartInvestigationForm,
        lambda a, d, u, f: services.investigation_start(application=a, acting_user=u, **d),
        "已启动调查。",
    ),
    "record_check": Step(
        "登记核对结果",
        lambda *args, application, **kw: case_forms.CheckResultForm(*args, **kw),
        lambda a, d, u, f: services.investigation_record_check(
            application=a,
            reference=d["check_reference"],
            result=d["check_result"],
            result_on=d["check_result_on"],
            acting_user=u,
        ),
        "已登记核对结果。",
    ),
    "complete_investigation": Step(
        "完成调查",
        lambda *args, application, **kw: case_forms.CompleteInvestigationForm(*args, **kw),
        lambda a, d, u, f: services.investigation_complete(application=a, acting_user=u, **d),
        "调查已完成，系统已按核实的家庭数据给出分类建议。",
    ),
    "send_to_notice": Step(
        "转村(居)公示",
        lambda *args, application, **kw: forms.Form(*args, **kw),
        lambda a, d, u, f: services.notice_send(application=a, acting_user=u),
        "已转村(居)公示。",
    ),
    "return_for_reinvestigation": Step(
        "退回重新调查",
        lambda *args, application, **kw: case_forms.ReasonForm(*args, **kw),
        lambda a, d, u, f: services.reinvestigation_return(application=a, acting_user=u, reason=d["reason"]),
        "已退回重新调查。",
    ),
    "decide": Step(
        "集体研判",
        lambda *args, application, **kw: case_forms.DecideForm(
            *args, application=application, proposals=case_forms.category_proposals(application), **kw
        ),
        _decide,
        "已记录集体研判结果。",
    ),
    "file": Step(
        "报送备案",
        lambda *args, application, **kw: case_forms.FileForm(*args, **kw),
        lambda a, d, u, f: services.application_file(application=a, acting_user=u, **d),
        "已报送备案。",
    ),
    "withdraw": Step(
        "撤回申请",
        lambda *args, application, **kw: case_forms.ReasonForm(*args, **kw),
        lambda a, d, u, f: services.application_withdraw(application=a, acting_user=u, reason=d["reason"]),
        "申请已撤回。",
    ),
    "extend": Step(
        "延长办理期限",
        lambda *args, application, **kw: case_forms.ExtendForm(*args, **kw),
        lambda a, d, u, f: services.application_extend(application=a, acting_user=u, **d),
        "已延长办理期限。",
    ),
}
