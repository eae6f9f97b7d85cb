"""The stage table of the case (DESIGN §3.4): which action may move a case from which stage to which.

Every service in applications.services asks `guard()` under a row lock, so that of two clerks pressing
the same button one wins and the other is told plainly what happened.
"""

from __future__ import annotations

from dataclasses import dataclass

from daye_relief.errors import InvalidTransition

from .glossary import OPEN_STAGES, Stage

__all__ = ["ACTIONS", "EVENT_LABELS", "Action", "InvalidTransition", "guard"]


@dataclass(frozen=True)
class Action:
    label: str
    from_stages: frozenset[str]
    to_stage: str | None  # None: the stage does not change


ACTIONS: dict[str, Action] = {
    "start_investigation": Action("启动调查", frozenset({Stage.ACCEPTED}), Stage.INVESTIGATING),
    "record_check": Action("登记核对结果", frozenset({Stage.INVESTIGATING}), None),
    "complete_investigation": Action("完成调查", frozenset({Stage.INVESTIGATING}), None),
    "send_to_notice": Action("转村(居)公示", frozenset({Stage.INVESTIGATING}), Stage.PUBLICIZING),
    "close_notice": Action("公示期满无异议", frozenset({Stage.PUBLICIZING}), Stage.DELIBERATING),
    "return_for_reinvestigation": Action(
        "退回重新调查", frozenset({Stage.PUBLICIZING, Stage.DELIBERATING}), Stage.INVESTIGATING
    ),
    "approve": Action("集体研判：批准", frozenset({Stage.DELIBERATING}), Stage.APPROVED),
    "reject": Action("集体研判：不予批准", frozenset({Stage.DELIBERATING}), Stage.REJECTED),
    "file": Action("报送备案", frozenset({Stage.APPROVED}), Stage.FILED),
    "withdraw": Action("撤回申请", frozenset(OPEN_STAGES), Stage.WITHDRAWN),
    "extend": Action("延长办理期限", frozenset(OPEN_STAGES - {Stage.APPROVED}), None),
}


EVENT_LABELS = {
    "accept": "受理申请",
    **{code: action.label for code, action in ACTIONS.items()},
    "filing_acknowledged": "确认备案",
    "filing_returned": "退回更正",
    "filing_resubmitted": "更正后重新报送",
}


def guard(action: str, stage: str) -> Action:
    """The action, or InvalidTransition with the reason in Chinese."""
    spec = ACTIONS[action]
    if stage not in spec.from_stages:
        raise InvalidTransition(
            f"案件当前处于“{Stage(stage).label}”阶段，不能“{spec.label}”。"
            "可能已有其他人办理了这一步，请刷新页面查看最新进度。"
        )
    return spec
