"""The notice's states and moves (pure: no ORM, no forms), on the project's one state-machine guard.

A draft (待张贴) is edited, posted or deleted; a posted notice (公示中) takes objections and is closed; a
closed notice (已结束) is never changed again.
"""

from __future__ import annotations

from daye_relief.transitions import Move, StateMachine

from .glossary import NoticeStatus

NOTICE = StateMachine(
    noun="公示",
    labels=NoticeStatus,
    moves={
        "edit": Move("修改", from_={NoticeStatus.DRAFT}),
        "delete": Move("删除", from_={NoticeStatus.DRAFT}),
        "post": Move("张贴", from_={NoticeStatus.DRAFT}, to=NoticeStatus.POSTED),
        "object": Move("登记异议", from_={NoticeStatus.POSTED}),
        "close": Move("结束公示", from_={NoticeStatus.POSTED}, to=NoticeStatus.CLOSED),
    },
    # The wording the notice pages have always used.
    refusal="该{noun}当前为“{status}”，不能进行此操作。请刷新页面查看最新状态。",
)
