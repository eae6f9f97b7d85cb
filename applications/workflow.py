"""The case's workflow (DESIGN §3.4), pure of forms and services: for each step, its label, the stages it
starts from, the stage it leads to, the roles that may take it and its precondition; `guard` (the
services' check under their row lock), `may` (permissions) and `available` (the case page's offer).

Models, services and the monitoring app import this; `applications.actions` binds each step to its form,
page and API call, and only views and the API import that. Nothing else lists stages, steps or roles of
the case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from accounts.access import can_act_in
from accounts.glossary import Role
from daye_relief.errors import InvalidTransition
from daye_relief.transitions import Move, StateMachine

from .adjustment_outcomes import adds_category, proposed_comparison
from .glossary import COMMITMENT_MATERIAL, DEADLINE_STAGES, FilingStatus, Procedure, Stage

if TYPE_CHECKING:
    from households.models import Household

    from .models import Application

__all__ = [
    "ACCEPT_AT_WINDOW",
    "ADJUST",
    "FILING",
    "INTAKE",
    "STEPS",
    "Step",
    "available",
    "guard",
    "may",
    "may_open_adjustment_for",
    "may_open_case_for",
    "waiting",
]

Precondition = Callable[["Application"], str | None]


@dataclass(frozen=True)
class Step:
    label: str
    from_: frozenset[str]
    to: str | None  # None: the stage does not change (or, for `decide`, the outcome chooses it)
    roles: frozenset[str]
    # Returns why the step cannot be taken yet (None: it can); checked by the service under its lock.
    requires: Precondition | None = None
    # On the main path of the case: its first available one is the page's highlighted next step.
    main: bool = True
    # Taken from the case page and the API's transitions (else from its own page: the notice, the filing).
    on_case_page: bool = True

    def refusal(self, application: Application) -> str | None:
        """Why this step cannot be taken on this case now, or None."""
        if application.stage not in self.from_:
            return (
                f"案件当前处于“{Stage(application.stage).label}”阶段，不能“{self.label}”。"
                "可能已有其他人办理了这一步，请刷新页面查看最新进度。"
            )
        return self.requires(application) if self.requires else None


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


class Missing(str):
    """A refusal that names what the case file lacks (a document to add), not a step already taken or not
    yet due: the case page shows it when no step can be taken (`waiting`)."""

    __slots__ = ()


def _commitment_received(application: Application) -> str | None:
    """The signed truthfulness commitment is in the case file before the investigation completes, under
    either procedure (DESIGN §3.11); an adjustment, opened by the town, has none."""
    if application.is_adjustment or COMMITMENT_MATERIAL in application.materials_received:
        return None
    return Missing(
        "请先在“案件材料”中上传申请人签字的真实性书面承诺书（材料类别“签字的书面承诺”），再完成调查。"
    )


def _complete_investigation(application: Application) -> str | None:
    return _check_recorded(application) or _commitment_received(application)


def _materials_complete(application: Application) -> str | None:
    """Under the regular procedure the case goes to the review only with every required item of its
    checklist received; under 告知承诺制 the commitment covers them and the review page lists them."""
    if application.procedure != Procedure.REGULAR:
        return None
    missing = application.materials_missing
    if not missing:
        return None
    names = "、".join(item.label for item in missing)
    return Missing(f"常规程序下，材料清单中的{names}尚未收到，案件不能转集体研判。请先在“案件材料”中上传。")


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
    if refusal := _materials_complete(application):
        return refusal
    # Where the re-evaluation adds a category the clerk may still send the case to the review: the task
    # force then adds nothing without a notice (services.application_decide refuses it).
    return None


def _notice_needed(application: Application) -> str | None:
    refusal = _investigation_done(application) or _materials_complete(application)
    if refusal is not None or not application.is_adjustment:
        return refusal
    if not adds_category(proposed_comparison(application, on=timezone.localdate())):
        return "本次调整未新增救助类别，无需公示，请直接转集体研判。"
    return None


CLERK = frozenset({Role.TOWN_CLERK})
INVESTIGATORS = frozenset({Role.TOWN_CLERK, Role.TOWN_AGRI_OFFICER})
BEFORE_DECISION = DEADLINE_STAGES | {Stage.SUBMITTED}

# Opening a case, no case yet: 受理 at the town's window, or a village forwarding the application to the
# town's inbox on the family's behalf (the village never accepts: 受理 is the town's).
INTAKE = frozenset({Role.TOWN_CLERK, Role.VILLAGE_STAFF})
ACCEPT_AT_WINDOW = CLERK
# Opening an adjustment of an enrolled household: the town's (DESIGN §3.7).
ADJUST = CLERK

STEPS: dict[str, Step] = {
    "accept": Step(
        label="受理",
        from_=frozenset({Stage.SUBMITTED}),
        to=Stage.ACCEPTED,
        roles=CLERK,
    ),
    "start_investigation": Step(
        label="启动调查",
        from_=frozenset({Stage.ACCEPTED}),
        to=Stage.INVESTIGATING,
        roles=CLERK,
    ),
    "record_check": Step(
        label="登记核对结果",
        from_=frozenset({Stage.INVESTIGATING}),
        to=None,
        roles=INVESTIGATORS,
        requires=_check_not_recorded,
    ),
    "complete_investigation": Step(
        label="完成调查",
        from_=frozenset({Stage.INVESTIGATING}),
        to=None,
        roles=INVESTIGATORS,
        requires=_complete_investigation,
    ),
    "send_to_notice": Step(
        label="转村(居)公示",
        from_=frozenset({Stage.INVESTIGATING}),
        to=Stage.PUBLICIZING,
        roles=CLERK,
        requires=_notice_needed,
    ),
    # An adjustment that adds no category goes to the review without a notice (DESIGN §3.7).
    "send_to_review": Step(
        label="转集体研判（无需公示）",
        from_=frozenset({Stage.INVESTIGATING}),
        to=Stage.DELIBERATING,
        roles=CLERK,
        requires=_review_without_notice,
    ),
    # Closed from the notice itself (publicity), by the village that posted it.
    "close_notice": Step(
        label="公示期满无异议",
        from_=frozenset({Stage.PUBLICIZING}),
        to=Stage.DELIBERATING,
        roles=frozenset({Role.VILLAGE_STAFF}),
        requires=_materials_complete,  # a document withdrawn during the notice
        on_case_page=False,
    ),
    "decide": Step(
        label="集体研判",
        from_=frozenset({Stage.DELIBERATING}),
        to=None,  # approved or rejected, as the decisions say
        roles=frozenset({Role.TASK_FORCE}),
    ),
    "file": Step(
        label="报送备案",
        from_=frozenset({Stage.APPROVED}),
        to=Stage.FILED,
        roles=CLERK,
    ),
    # Side steps: never the highlighted next step.
    "return_for_reinvestigation": Step(
        label="退回重新调查",
        from_=frozenset({Stage.PUBLICIZING, Stage.DELIBERATING}),
        to=Stage.INVESTIGATING,
        roles=frozenset({Role.TOWN_CLERK, Role.TASK_FORCE}),  # an objection is recorded on the notice
        main=False,
    ),
    "extend": Step(
        label="延长办理期限",
        from_=DEADLINE_STAGES,
        to=None,
        roles=CLERK,
        main=False,
    ),
    "withdraw": Step(
        label="撤回申请",
        from_=BEFORE_DECISION,  # never after the decision
        to=Stage.WITHDRAWN,
        roles=CLERK,  # at the applicant's written request, recorded by the town
        main=False,
    ),
    # Not moves of the stage: who may resubmit a returned filing and print the case's forms.
    "resubmit_filing": Step(
        label="更正后重新报送",
        from_=frozenset({Stage.FILED}),
        to=None,
        roles=CLERK,
        main=False,
        on_case_page=False,
    ),
    "print": Step(
        label="打印表单",
        from_=frozenset(Stage.values),
        to=None,
        roles=frozenset({Role.TOWN_CLERK, Role.TOWN_AGRI_OFFICER, Role.TASK_FORCE, Role.VILLAGE_STAFF}),
        main=False,
        on_case_page=False,
    ),
}


def guard(code: str, application: Application) -> Step:
    """The action, or InvalidTransition saying in Chinese why it cannot be taken on this case now."""
    step = STEPS[code]
    refusal = step.refusal(application)
    if refusal is not None:
        raise InvalidTransition(refusal)
    return step


def may(user: Any, code: str, application: Application) -> bool:
    """May this user take this action on this case, by role and by the case's town or village?"""
    return can_act_in(
        user, STEPS[code].roles, village_id=application.household.village_id, town_id=application.town_id
    )


def may_open_case_for(user: Any, household: Household) -> bool:
    """May this user open a case for this household (the town clerk, or its village on its behalf)?"""
    return can_act_in(user, INTAKE, village_id=household.village_id, town_id=household.village.parent_id)


def may_open_adjustment_for(user: Any, household: Household) -> bool:
    """May this user open an adjustment of this household (its town's clerk: DESIGN §3.7)?"""
    return can_act_in(user, ADJUST, village_id=household.village_id, town_id=household.village.parent_id)


def available(user: Any, application: Application) -> list[tuple[str, Step]]:
    """The steps of the case page this user may take on this case now, in the table's order; the
    workflow's next step first."""
    found = [
        (code, step)
        for code, step in STEPS.items()
        if step.on_case_page and step.refusal(application) is None and may(user, code, application)
    ]
    return sorted(found, key=lambda pair: not pair[1].main)


def waiting(user: Any, application: Application) -> list[tuple[str, str]]:
    """When this user has no main step to take on this case now, the main steps of its stage they could
    take but that wait for a document of the case file: each label with what is missing."""
    steps = [
        (code, step)
        for code, step in STEPS.items()
        if step.main and step.on_case_page and application.stage in step.from_
    ]
    refusals = [
        (step.label, step.refusal(application)) for code, step in steps if may(user, code, application)
    ]
    if any(reason is None for _, reason in refusals):
        return []
    return [(label, reason) for label, reason in refusals if isinstance(reason, Missing)]


# A filing with a bureau (备案; DESIGN §3.4): the bureau acknowledges or returns it, the town resubmits a
# returned one. The services guard under the filing's row lock; the pages offer what `allows`.
FILING = StateMachine(
    noun="备案",
    labels=FilingStatus,
    moves={
        "acknowledge": Move("确认备案", from_={FilingStatus.PENDING}, to=FilingStatus.ACKNOWLEDGED),
        "return": Move("退回更正", from_={FilingStatus.PENDING}, to=FilingStatus.RETURNED),
        "resubmit": Move("重新报送", from_={FilingStatus.RETURNED}, to=FilingStatus.PENDING),
    },
)
