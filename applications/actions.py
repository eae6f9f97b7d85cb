"""The one table of case actions (DESIGN §3.4): for each, its label, the stages it starts from, the stage it
leads to, the roles that may take it, its precondition, its form and its service.

The services guard every move with `guard()` under a row lock; the case page offers `available()`; the step
page and the API run `ACTIONS[code].form` and `ACTIONS[code].run`; permission checks ask `may()`. Nothing
else lists actions, stages or roles of the case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone

from accounts.access import can_act_in
from accounts.glossary import Role
from daye_relief.errors import InvalidTransition
from households.models import Member

from . import forms as case_forms
from . import services
from .adjusting import adds_category, proposed_comparison
from .glossary import DEADLINE_STAGES, Stage

if TYPE_CHECKING:
    from households.models import Household

    from .models import Application

__all__ = [
    "ACTIONS",
    "ADJUST",
    "EVENT_LABELS",
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
Precondition = Callable[["Application"], str | None]


@dataclass(frozen=True)
class Action:
    label: str
    from_: frozenset[str]
    to: str | None  # None: the stage does not change (or, for `decide`, the outcome chooses it)
    roles: frozenset[str]
    # Returns why the action cannot be taken yet (None: it can); checked by the service under its lock.
    requires: Precondition | None = None
    form: FormFactory | None = None
    service: Runner | None = None
    done: str = ""
    # On the main path of the case: its first available one is the page's highlighted next step.
    main: bool = True
    # Taken from the case page and the API's transitions (else from its own page: the notice, the filing).
    on_case_page: bool = True

    def refusal(self, application: Application) -> str | None:
        """Why this action cannot be taken on this case now, or None."""
        if application.stage not in self.from_:
            return (
                f"案件当前处于“{Stage(application.stage).label}”阶段，不能“{self.label}”。"
                "可能已有其他人办理了这一步，请刷新页面查看最新进度。"
            )
        return self.requires(application) if self.requires else None

    def run(self, application: Application, data: dict[str, Any], user: Any, form: forms.Form) -> Application:
        assert self.service is not None
        return self.service(application, data, user, form)


# Preconditions -------------------------------------------------------------------------------------------


def _investigation(application: Application) -> Any:
    return getattr(application, "investigation", None)


def _check_not_recorded(application: Application) -> str | None:
    investigation = _investigation(application)
    if investigation is None or investigation.completed_on is not None:
        return "调查已完成，不能再登记核对结果。"
    if investigation.check_result:
        return "核对结果已登记。"
    return None


def _check_recorded(application: Application) -> str | None:
    investigation = _investigation(application)
    if investigation is None or not investigation.check_result:
        return "请先登记家庭经济状况核对结果。"
    if investigation.completed_on is not None:
        return "调查已完成。"
    return None


def _investigation_done(application: Application) -> str | None:
    investigation = _investigation(application)
    if investigation is None or investigation.completed_on is None:
        return "调查尚未完成，不能转公示。"
    return None


def _review_without_notice(application: Application) -> str | None:
    if not application.is_adjustment:
        return "申请须经村(居)公示后再集体研判。"
    if _investigation_done(application) is not None:
        return "调查尚未完成，不能转集体研判。"
    # Where the re-evaluation adds a category the clerk may still send the case to the review: the task
    # force then adds nothing without a notice (services.application_decide refuses it).
    return None


def _notice_needed(application: Application) -> str | None:
    refusal = _investigation_done(application)
    if refusal is not None or not application.is_adjustment:
        return refusal
    if not adds_category(proposed_comparison(application, on=timezone.localdate())):
        return "本次调整未新增救助类别，无需公示，请直接转集体研判。"
    return None


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


CLERK = frozenset({Role.TOWN_CLERK})
INVESTIGATORS = frozenset({Role.TOWN_CLERK, Role.TOWN_AGRI_OFFICER})
BEFORE_DECISION = DEADLINE_STAGES | {Stage.SUBMITTED}

# Opening a case, no case yet: 受理 at the town's window, or a village forwarding the application to the
# town's inbox on the family's behalf (the village never accepts: 受理 is the town's).
INTAKE = frozenset({Role.TOWN_CLERK, Role.VILLAGE_STAFF})
ACCEPT_AT_WINDOW = CLERK
# Opening an adjustment of an enrolled household: the town's (DESIGN §3.7).
ADJUST = CLERK

ACTIONS: dict[str, Action] = {
    "accept": Action(
        label="受理",
        from_=frozenset({Stage.SUBMITTED}),
        to=Stage.ACCEPTED,
        roles=CLERK,
        form=_with_application(case_forms.AcceptForm),
        service=lambda a, d, u, f: services.application_accept_submitted(application=a, acting_user=u, **d),
        done="已受理，办理期限自受理之日起计算。",
    ),
    "start_investigation": Action(
        label="启动调查",
        from_=frozenset({Stage.ACCEPTED}),
        to=Stage.INVESTIGATING,
        roles=CLERK,
        form=_with_application(case_forms.StartInvestigationForm),
        service=lambda a, d, u, f: services.investigation_start(application=a, acting_user=u, **d),
        done="已启动调查。",
    ),
    "record_check": Action(
        label="登记核对结果",
        from_=frozenset({Stage.INVESTIGATING}),
        to=None,
        roles=INVESTIGATORS,
        requires=_check_not_recorded,
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
        label="完成调查",
        from_=frozenset({Stage.INVESTIGATING}),
        to=None,
        roles=INVESTIGATORS,
        requires=_check_recorded,
        form=_without_application(case_forms.CompleteInvestigationForm),
        service=lambda a, d, u, f: services.investigation_complete(application=a, acting_user=u, **d),
        done="调查已完成，系统已按核实的家庭数据给出分类建议。",
    ),
    "send_to_notice": Action(
        label="转村(居)公示",
        from_=frozenset({Stage.INVESTIGATING}),
        to=Stage.PUBLICIZING,
        roles=CLERK,
        requires=_notice_needed,
        form=_plain_form,
        service=lambda a, d, u, f: services.notice_send(application=a, acting_user=u),
        done="已转村(居)公示。",
    ),
    # An adjustment that adds no category goes to the review without a notice (DESIGN §3.7).
    "send_to_review": Action(
        label="转集体研判（无需公示）",
        from_=frozenset({Stage.INVESTIGATING}),
        to=Stage.DELIBERATING,
        roles=CLERK,
        requires=_review_without_notice,
        form=_plain_form,
        service=lambda a, d, u, f: services.review_send(application=a, acting_user=u),
        done="已转集体研判。",
    ),
    # Closed from the notice itself (publicity), by the village that posted it.
    "close_notice": Action(
        label="公示期满无异议",
        from_=frozenset({Stage.PUBLICIZING}),
        to=Stage.DELIBERATING,
        roles=frozenset({Role.VILLAGE_STAFF}),
        on_case_page=False,
    ),
    "decide": Action(
        label="集体研判",
        from_=frozenset({Stage.DELIBERATING}),
        to=None,  # approved or rejected, as the decisions say
        roles=frozenset({Role.TASK_FORCE}),
        form=_decide_form,
        service=_decide,
        done="已记录集体研判结果。",
    ),
    "file": Action(
        label="报送备案",
        from_=frozenset({Stage.APPROVED}),
        to=Stage.FILED,
        roles=CLERK,
        form=_without_application(case_forms.FileForm),
        service=lambda a, d, u, f: services.application_file(application=a, acting_user=u, **d),
        done="已报送备案。",
    ),
    # Side steps: never the highlighted next step.
    "return_for_reinvestigation": Action(
        label="退回重新调查",
        from_=frozenset({Stage.PUBLICIZING, Stage.DELIBERATING}),
        to=Stage.INVESTIGATING,
        roles=frozenset({Role.TOWN_CLERK, Role.TASK_FORCE}),  # an objection is recorded on the notice
        form=_without_application(case_forms.ReasonForm),
        service=lambda a, d, u, f: services.reinvestigation_return(
            application=a, acting_user=u, reason=d["reason"]
        ),
        done="已退回重新调查。",
        main=False,
    ),
    "extend": Action(
        label="延长办理期限",
        from_=DEADLINE_STAGES,
        to=None,
        roles=CLERK,
        form=_without_application(case_forms.ExtendForm),
        service=lambda a, d, u, f: services.application_extend(application=a, acting_user=u, **d),
        done="已延长办理期限。",
        main=False,
    ),
    "withdraw": Action(
        label="撤回申请",
        from_=BEFORE_DECISION,  # never after the decision
        to=Stage.WITHDRAWN,
        roles=CLERK,  # at the applicant's written request, recorded by the town
        form=_without_application(case_forms.WithdrawForm),
        service=lambda a, d, u, f: services.application_withdraw(application=a, acting_user=u, **d),
        done="申请已撤回。",
        main=False,
    ),
    # Not moves of the stage: who may resubmit a returned filing and print the case's forms.
    "resubmit_filing": Action(
        label="更正后重新报送",
        from_=frozenset({Stage.FILED}),
        to=None,
        roles=CLERK,
        main=False,
        on_case_page=False,
    ),
    "print": Action(
        label="打印表单",
        from_=frozenset(Stage.values),
        to=None,
        roles=frozenset({Role.TOWN_CLERK, Role.TOWN_AGRI_OFFICER, Role.TASK_FORCE, Role.VILLAGE_STAFF}),
        main=False,
        on_case_page=False,
    ),
}

EVENT_LABELS = {
    "submit": "村(居)委会转报申请",
    "open_adjustment": "动态调整立案",
    **{code: action.label for code, action in ACTIONS.items()},
    "accept": "受理申请",
    "approve": "集体研判：批准",
    "reject": "集体研判：不予批准",
    "filing_acknowledged": "确认备案",
    "filing_returned": "退回更正",
    "filing_resubmitted": "更正后重新报送",
}


def guard(code: str, application: Application) -> Action:
    """The action, or InvalidTransition saying in Chinese why it cannot be taken on this case now."""
    action = ACTIONS[code]
    refusal = action.refusal(application)
    if refusal is not None:
        raise InvalidTransition(refusal)
    return action


def may(user: Any, code: str, application: Application) -> bool:
    """May this user take this action on this case, by role and by the case's town or village?"""
    return can_act_in(
        user, ACTIONS[code].roles, village_id=application.household.village_id, town_id=application.town_id
    )


def may_open_case_for(user: Any, household: Household) -> bool:
    """May this user open a case for this household (the town clerk, or its village on its behalf)?"""
    return can_act_in(user, INTAKE, village_id=household.village_id, town_id=household.village.parent_id)


def may_open_adjustment_for(user: Any, household: Household) -> bool:
    """May this user open an adjustment of this household (its town's clerk: DESIGN §3.7)?"""
    return can_act_in(user, ADJUST, village_id=household.village_id, town_id=household.village.parent_id)


def available(user: Any, application: Application) -> list[tuple[str, Action]]:
    """The actions of the case page this user may take on this case now, in the table's order; the
    workflow's next step first."""
    found = [
        (code, action)
        for code, action in ACTIONS.items()
        if action.on_case_page and action.refusal(application) is None and may(user, code, application)
    ]
    return sorted(found, key=lambda pair: not pair[1].main)
