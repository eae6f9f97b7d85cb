"""Codes and Chinese labels of the case (DESIGN §3.4)."""

from collections.abc import Callable
from typing import Any

from django.db import models


class Stage(models.TextChoices):
    SUBMITTED = "submitted", "待受理"
    ACCEPTED = "accepted", "受理"
    INVESTIGATING = "investigating", "调查"
    PUBLICIZING = "publicizing", "公示"
    DELIBERATING = "deliberating", "研判"
    APPROVED = "approved", "批准"
    REJECTED = "rejected", "不予批准"
    FILED = "filed", "备案"
    WITHDRAWN = "withdrawn", "已撤回"


OPEN_STAGES = frozenset(
    {
        Stage.SUBMITTED,
        Stage.ACCEPTED,
        Stage.INVESTIGATING,
        Stage.PUBLICIZING,
        Stage.DELIBERATING,
        Stage.APPROVED,
    }
)
# Before the collective review's decision: the stages in which the case's deadlines run (DESIGN §3.4).
DEADLINE_STAGES = frozenset({Stage.ACCEPTED, Stage.INVESTIGATING, Stage.PUBLICIZING, Stage.DELIBERATING})

# The longest text a person may type in each kind of field of the case (form, model and API alike).
SHORT_TEXT = 300
LONG_TEXT = 1000


class Channel(models.TextChoices):
    WINDOW = "window", "镇窗口申请"
    VILLAGE = "village", "村(居)委会协助申请"
    ONLINE = "online", "线上申请"
    DISCOVERY = "discovery", "主动发现"


class Kind(models.TextChoices):
    """An application of a family not enrolled, or an adjustment (动态调整) of an enrolled one (§3.7)."""

    APPLICATION = "application", "救助帮扶申请"
    ADJUSTMENT = "adjustment", "动态调整"


class Trigger(models.TextChoices):
    """What opened an adjustment case (DESIGN §3.7)."""

    MEMBER_CHANGE = "member_change", "家庭成员变化"
    WARNING = "warning", "预警"
    VISIT = "visit", "走访"
    CHECK = "check", "核查"
    REQUEST = "request", "家庭申请"


class ChangeKind(models.TextChoices):
    """A member change that opens an adjustment: three that add a member, four that remove one."""

    BIRTH = "birth", "出生"
    MARRIAGE = "marriage", "婚入"
    RETURN = "return", "返乡（迁回）"
    DEATH = "death", "死亡"
    MARRYING_OUT = "marrying_out", "婚出"
    IMPRISONMENT = "imprisonment", "服刑"
    MOVING_OUT = "moving_out", "迁出"


ADDING_CHANGES = frozenset({ChangeKind.BIRTH, ChangeKind.MARRIAGE, ChangeKind.RETURN})
REMOVING_CHANGES = frozenset(
    {ChangeKind.DEATH, ChangeKind.MARRYING_OUT, ChangeKind.IMPRISONMENT, ChangeKind.MOVING_OUT}
)
# The reason an enrollment of the member (or of the household, when nobody is left) ends with.
CHANGE_END_REASONS = {
    ChangeKind.DEATH: "death",
    ChangeKind.MARRYING_OUT: "moved_out",
    ChangeKind.MOVING_OUT: "moved_out",
    ChangeKind.IMPRISONMENT: "adjustment",
}


class Outcome(models.TextChoices):
    """What an adjustment's decision does to one category (DESIGN §3.7)."""

    INCREASE = "increase", "增发"
    DECREASE = "decrease", "减发"
    CANCEL = "cancel", "取消"
    ADD = "add", "新增"
    NO_CHANGE = "no_change", "不变"


class Procedure(models.TextChoices):
    COMMITMENT = "commitment", "告知承诺制"
    REGULAR = "regular", "常规程序"


class Proxy(models.TextChoices):
    NONE = "none", "本人申请"
    VILLAGE_COMMITTEE = "village_committee", "村(居)委会代为申请"
    WORK_TEAM = "work_team", "驻村工作队代为申请"


class Method(models.TextChoices):
    HOME_VISIT = "home_visit", "入户调查"
    LETTERS = "letters", "信函索证"
    NEIGHBORS = "neighbors", "邻里走访"
    VIDEO = "video", "视频调查"


class Bureau(models.TextChoices):
    CIVIL_AFFAIRS = "civil_affairs", "市民政局"
    AGRICULTURE = "agriculture", "市农业农村局"


class FilingStatus(models.TextChoices):
    PENDING = "pending", "待确认"
    ACKNOWLEDGED = "acknowledged", "已确认备案"
    RETURNED = "returned", "退回更正"


class DeadlineFlag(models.TextChoices):
    NONE = "", "正常"
    DUE_SOON = "due_soon", "即将到期"
    OVERDUE = "overdue", "已逾期"


# The one-time list of materials (一次性告知材料清单) the clerk hands out and keeps with the case.
MATERIALS = (
    ("application_form", "救助帮扶申请书"),
    ("hukou_book", "户口簿"),
    ("id_cards", "家庭成员身份证"),
    ("income_proof", "家庭收入情况说明或证明"),
    ("property_statement", "家庭财产状况说明"),
    ("authorization", "家庭经济状况核对授权书"),
    ("commitment_letter", "真实性书面承诺书"),
    ("disability_certificate", "残疾人证（如有）"),
    ("medical_records", "病历、医疗费用票据（如有）"),
    ("student_certificate", "在校证明（如有）"),
    ("other", "其他需要说明的材料"),
)
MATERIAL_LABELS = dict(MATERIALS)
# The checklist (DESIGN §3.11): every item of the one-time list is required except those a family brings
# only if it has them ("如有") and the catch-all; the signed commitment is required before the
# investigation completes, whether or not it was listed.
OPTIONAL_MATERIALS = frozenset({"disability_certificate", "medical_records", "student_certificate", "other"})
COMMITMENT_MATERIAL = "commitment_letter"

# Categories filed with each bureau (DESIGN §3.4): the civil-affairs categories and the monitoring mark.
BUREAU_CATEGORIES = {
    Bureau.CIVIL_AFFAIRS: ("tekun", "dibao", "dibao_single", "marginal", "rigid_expense", "case_by_case"),
    Bureau.AGRICULTURE: ("monitoring",),
}


# What the timeline calls each event of a case: the workflow's steps (applications.workflow.STEPS, a test
# keeps the two in step) and the events that are not steps of their own.
class EventKind(models.TextChoices):
    SUBMIT = "submit", "村(居)委会转报申请"
    OPEN_ADJUSTMENT = "open_adjustment", "动态调整立案"
    ACCEPT = "accept", "受理申请"
    START_INVESTIGATION = "start_investigation", "启动调查"
    RECORD_CHECK = "record_check", "登记核对结果"
    COMPLETE_INVESTIGATION = "complete_investigation", "完成调查"
    SEND_TO_NOTICE = "send_to_notice", "转村(居)公示"
    SEND_TO_REVIEW = "send_to_review", "转集体研判（无需公示）"
    CLOSE_NOTICE = "close_notice", "公示期满无异议"
    DECIDE = "decide", "集体研判"
    FILE = "file", "报送备案"
    RETURN_FOR_REINVESTIGATION = "return_for_reinvestigation", "退回重新调查"
    EXTEND = "extend", "延长办理期限"
    WITHDRAW = "withdraw", "撤回申请"
    RESUBMIT_FILING = "resubmit_filing", "更正后重新报送"
    PRINT = "print", "打印表单"
    APPROVE = "approve", "集体研判：批准"
    REJECT = "reject", "集体研判：不予批准"
    FILING_ACKNOWLEDGED = "filing_acknowledged", "确认备案"
    FILING_RETURNED = "filing_returned", "退回更正"
    FILING_RESUBMITTED = "filing_resubmitted", "更正后重新报送"


EVENT_LABELS: dict[str, str] = dict(EventKind.choices)

NO_NEW_CATEGORY = "本次调整未新增救助类别，无需公示。"
NOTICE_CLOSED = "公示期满无异议，确定为拟救助帮扶对象。"


def _adjustment_sentence(p: dict[str, Any]) -> str:
    words = [Trigger(p["trigger"]).label]
    change = p.get("member_change")
    if change:
        words.append(
            f"{change['member_name']}{ChangeKind(change['kind']).label}"
            f"（{change['happened_on']}，{change['evidence']}）"
        )
    if p.get("source"):
        words.append(f"来源：{p.get('source_label') or p['source']}")
    return "；".join(words)


# The timeline's sentence of each kind, written from the event's payload (applications.events writes both).
_SENTENCES: dict[str, Callable[[dict[str, Any]], str]] = {
    EventKind.SUBMIT: lambda p: f"{Channel(p['channel']).label}，{Proxy(p['proxy']).label}",
    EventKind.ACCEPT: lambda p: "，".join(
        [Procedure(p["procedure"]).label, *([Proxy(p["proxy"]).label] if p.get("proxy") else [])]
    ),
    EventKind.OPEN_ADJUSTMENT: _adjustment_sentence,
    EventKind.START_INVESTIGATION: lambda p: f"调查组：{'、'.join(m['name'] for m in p['team'])}",
    EventKind.RECORD_CHECK: lambda p: f"核对结果：{p['result']}",
    EventKind.COMPLETE_INVESTIGATION: lambda p: p["findings"],
    EventKind.RETURN_FOR_REINVESTIGATION: lambda p: p["reason"],
    EventKind.SEND_TO_NOTICE: lambda p: "",
    EventKind.SEND_TO_REVIEW: lambda p: NO_NEW_CATEGORY,  # payload {"because": "no_new_category"}
    EventKind.CLOSE_NOTICE: lambda p: p.get("note") or NOTICE_CLOSED,
    EventKind.APPROVE: lambda p: p["reason"],
    EventKind.REJECT: lambda p: p["reason"],
    EventKind.FILE: lambda p: "同时报送防返贫监测标识" if p["monitoring_mark"] else "",
    EventKind.FILING_ACKNOWLEDGED: lambda p: f"{Bureau(p['bureau']).label}确认备案",
    EventKind.FILING_RETURNED: lambda p: f"{Bureau(p['bureau']).label}退回：{p['note']}",
    EventKind.FILING_RESUBMITTED: lambda p: p["note"],
    EventKind.EXTEND: lambda p: (
        f"延长至受理后{p['total_working_days']}个工作日（{p['until']}）：{p['reason']}"
    ),
    EventKind.WITHDRAW: lambda p: f"申请人{p['requested_on']}书面申请撤回：{p['reason']}",
}


def event_sentence(kind: str, payload: dict[str, Any]) -> str:
    """The Chinese sentence of an event from its kind and payload."""
    return _SENTENCES[kind](payload)
