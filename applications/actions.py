"""The binding of each case step (applications.workflow) to its form, its service and what the page says
when it is done: the step page and the API run `ACTIONS[code].form` and `ACTIONS[code].run`; the case
page offers `available()`. Only views and the API import this module; models and services import the
workflow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms

from households.models import Member

from . import forms as case_forms
from . import services
from .workflow import (
    ACCEPT_AT_WINDOW,
    ADJUST,
    INTAKE,
    STEPS,
    Step,
    guard,
    may,
    may_open_adjustment_for,
    may_open_case_for,
)
from .workflow import available as available_steps

if TYPE_CHECKING:
    from .models import Application

__all__ = [
    "ACCEPT_AT_WINDOW",
    "ACTIONS",
    "ADJUST",
    "INTAKE",
    "Action",
    "available",
    "guard",
    "may",
    "may_open_adjustment_for",
    "may_open_case_for",
]

FormFactory = Callable[..., forms.Form]
Runner = Callable[["Application", dict[str, Any], Any, forms.Form], "Application"]


@dataclass(frozen=True)
class Action:
    """A step of the workflow with its form and service (none for the steps taken on their own pages)."""

    step: Step
    form: FormFactory | None = None
    service: Runner | None = None
    done: str = ""

    @property
    def label(self) -> str:
        return self.step.label

    @property
    def from_(self) -> frozenset[str]:
        return self.step.from_

    @property
    def to(self) -> str | None:
        return self.step.to

    @property
    def roles(self) -> frozenset[str]:
        return self.step.roles

    @property
    def main(self) -> bool:
        return self.step.main

    @property
    def on_case_page(self) -> bool:
        return self.step.on_case_page

    def refusal(self, application: Application) -> str | None:
        return self.step.refusal(application)

    def run(self, application: Application, data: dict[str, Any], user: Any, form: forms.Form) -> Application:
        assert self.service is not None
        return self.service(application, data, user, form)


# Forms and services, as the step page and the API call them ---------------------------------------------


def _plain_form(*args: Any, application: Application, **kwargs: Any) -> forms.Form:
    return forms.Form(*args, **kwargs)


def _with_application(form_class: Callable[..., forms.Form]) -> FormFactory:
    def build(*args: Any, application: Application, **kwargs: Any) -> forms.Form:
        return form_class(*args, application=application, **kwargs)

    return build


def _without_application(form_class: type[forms.Form]) -> FormFactory:
    def build(*args: Any, application: Application, **kwargs: Any) -> forms.Form:
        return form_class(*args, **kwargs)

    return build


def _decide_form(*args: Any, application: Application, **kwargs: Any) -> forms.Form:
    return case_forms.DecideForm(
        *args, application=application, proposals=case_forms.category_proposals(application), **kwargs
    )


def _decide(application: Application, data: dict[str, Any], user: Any, form: forms.Form) -> Application:
    members = {str(m.pk): m for m in Member.objects.filter(household_id=application.household_id)}
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
        departure_reason=data["departure_reason"],
        approved_by=user,
        acting_user=user,
        income_from_work=bool(data.get("income_from_work")),
        gradual_exit=bool(data.get("gradual_exit")),
    )


ACTIONS: dict[str, Action] = {
    "accept": Action(
        STEPS["accept"],
        form=_with_application(case_forms.AcceptForm),
        service=lambda a, d, u, f: services.application_accept_submitted(application=a, acting_user=u, **d),
        done="已受理，办理期限自受理之日起计算。",
    ),
    "start_investigation": Action(
        STEPS["start_investigation"],
        form=_with_application(case_forms.StartInvestigationForm),
        service=lambda a, d, u, f: services.investigation_start(application=a, acting_user=u, **d),
        done="已启动调查。",
    ),
    "record_check": Action(
        STEPS["record_check"],
        form=_without_application(case_forms.CheckResultForm),
        service=lambda a, d, u, f: services.investigation_record_check(
            application=a,
            reference=d["check_reference"],
            result=d["check_result"],
            result_on=d["check_result_on"],
            acting_user=u,
        ),
        done="已登记核对结果。",
    ),
    "complete_investigation": Action(
        STEPS["complete_investigation"],
        form=_without_application(case_forms.CompleteInvestigationForm),
        service=lambda a, d, u, f: services.investigation_complete(application=a, acting_user=u, **d),
        done="调查已完成，系统已按核实的家庭数据给出分类建议。",
    ),
    "send_to_notice": Action(
        STEPS["send_to_notice"],
        form=_plain_form,
        service=lambda a, d, u, f: services.notice_send(application=a, acting_user=u),
        done="已转村(居)公示。",
    ),
    "send_to_review": Action(
        STEPS["send_to_review"],
        form=_plain_form,
        service=lambda a, d, u, f: services.review_send(application=a, acting_user=u),
        done="已转集体研判。",
    ),
    "close_notice": Action(
        STEPS["close_notice"],
    ),
    "decide": Action(
        STEPS["decide"],
        form=_decide_form,
        service=_decide,
        done="已记录集体研判结果。",
    ),
    "file": Action(
        STEPS["file"],
        form=_without_application(case_forms.FileForm),
        service=lambda a, d, u, f: services.application_file(application=a, acting_user=u, **d),
        done="已报送备案。",
    ),
    "return_for_reinvestigation": Action(
        STEPS["return_for_reinvestigation"],
        form=_without_application(case_forms.ReasonForm),
        service=lambda a, d, u, f: services.reinvestigation_return(
            application=a, acting_user=u, reason=d["reason"]
        ),
        done="已退回重新调查。",
    ),
    "extend": Action(
        STEPS["extend"],
        form=_without_application(case_forms.ExtendForm),
        service=lambda a, d, u, f: services.application_extend(application=a, acting_user=u, **d),
        done="已延长办理期限。",
    ),
    "withdraw": Action(
        STEPS["withdraw"],
        form=_without_application(case_forms.WithdrawForm),
        service=lambda a, d, u, f: services.application_withdraw(application=a, acting_user=u, **d),
        done="申请已撤回。",
    ),
    "resubmit_filing": Action(
        STEPS["resubmit_filing"],
    ),
    "print": Action(
        STEPS["print"],
    ),
}


def available(user: Any, application: Application) -> list[tuple[str, Action]]:
    """The actions of the case page this user may take on this case now, the workflow's next step first."""
    return [(code, ACTIONS[code]) for code, _ in available_steps(user, application)]
