"""The states and moves of monitoring's three records (pure: no ORM, no forms), on the project's one
state-machine guard: the warning (预警), the town's risk-elimination review (风险消除研判) and the check
task (核查). Services guard each move under the row lock; pages ask `allows` before they offer it.
Each refusal keeps the sentence these pages have always shown.
"""

from __future__ import annotations

from daye_relief.transitions import Move, StateMachine

from .glossary import CheckStatus, RiskReviewStatus, WarningStatus

# The one sentence for a warning that cannot open an adjustment: not handled, or handled otherwise.
REINVESTIGATION_ONLY = "只有反馈为“重新调查”的预警可以在这里启动动态调整。"

_OPEN = {WarningStatus.OPEN, WarningStatus.IN_PROGRESS}

WARNING = StateMachine(
    noun="预警",
    labels=WarningStatus,
    moves={
        "acknowledge": Move(
            "签收", from_={WarningStatus.OPEN}, to=WarningStatus.IN_PROGRESS, refused="这条预警已经签收。"
        ),
        # An open warning is acknowledged on the way (the service records both moves).
        "feedback": Move("反馈", from_=_OPEN, to=WarningStatus.HANDLED, refused="这条预警已经反馈过。"),
        "open_adjustment": Move(
            "启动动态调整",
            from_={WarningStatus.HANDLED},
            refused=REINVESTIGATION_ONLY,
        ),
        "close": Move(
            "办结",
            from_={WarningStatus.HANDLED},
            to=WarningStatus.CLOSED,
            refused="预警须先反馈处理情况，才能办结。",
        ),
    },
)

RISK_REVIEW = StateMachine(
    noun="研判",
    labels=RiskReviewStatus,
    moves={
        "file": Move(
            "报备",
            from_={RiskReviewStatus.DECIDED, RiskReviewStatus.RETURNED},
            to=RiskReviewStatus.FILED,
            refused="该研判已报市农业农村局。",
        ),
        "return": Move(
            "退回",
            from_={RiskReviewStatus.FILED},
            to=RiskReviewStatus.RETURNED,
            refused="只有已报备、待确认的研判可以退回。",
        ),
        "acknowledge": Move(
            "确认",
            from_={RiskReviewStatus.FILED},
            to=RiskReviewStatus.ACKNOWLEDGED,
            refused="只有已报备、待确认的研判可以确认。",
        ),
    },
)

CHECK_TASK = StateMachine(
    noun="核查",
    labels=CheckStatus,
    moves={
        "record": Move(
            "登记结果", from_={CheckStatus.OPEN}, to=CheckStatus.DONE, refused="这项核查已经登记过结果。"
        ),
    },
)
