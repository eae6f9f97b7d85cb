"""The pilot evaluation (plan 三(三), DESIGN §3.10): for a period and a scope (the city, or one town), the
figures that show whether each work measure of plan 二 happened, beside the period before of the same
length, as a PDF and an XLSX the bureaus hand to the city.

Every figure is an aggregate query over the period (a fixed number of queries whatever the number of
households or cases); nothing here writes. Measures whose records are not kept by the system yet are
listed with what is missing, never filled with a guess."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from accounts.access import CITY_READ_ROLES, TOWN_READ_ROLES, can_read_evaluation, scope_of
from accounts.models import OrgUnit
from applications.glossary import (
    Outcome,
    Trigger,
)
from daye_relief.pdf import render_pdf
from desk.stats import ON_TIME_RULE
from households.codes import CATEGORIES, END_REASONS
from households.glossary import AssistanceKind
from monitoring.glossary import (
    CheckResult,
    WarningType,
)

from .evaluation_figures import Figures, Period, chinese_date, data_since

Value = int | Decimal | None


# Plan 一 (工作目标), shortened to what the report opens with.
AIMS = (
    "以还地桥镇、保安镇为试点单位，推进防止返贫帮扶政策和农村低收入人口常态化帮扶政策（“两项政策”）衔接并轨。",
    "健全以基本生活救助、专项社会救助、急难社会救助为主体，社会力量参与为补充的分层分类社会救助体系。",
    "牢牢守住不发生规模性返贫的底线，兜住、兜准、兜牢基本民生底线。",
)


PLAN_TITLE = "大冶市“两项政策”衔接并轨试点工作方案"


REPORT_TITLE = "“两项政策”衔接并轨试点评估报告"


def evaluation_towns(user: Any) -> list[OrgUnit] | None:
    """The towns this user may evaluate: None for the whole city (the two bureaus, who may also pick a
    town), the user's own towns for the town roles, [] for anyone else."""
    scope = scope_of(user)
    if not can_read_evaluation(user):
        return []
    if scope.roles & CITY_READ_ROLES:
        return None
    towns = [unit for role, unit in scope.assignments if role in TOWN_READ_ROLES]
    return list(OrgUnit.objects.filter(pk__in=towns).order_by("code"))


@dataclass(frozen=True)
class Row:
    label: str
    unit: str
    now: Value
    before: Value
    indent: int = 0


@dataclass(frozen=True)
class Measure:
    number: str
    title: str
    aim: str
    rows: list[Row]
    missing: str = ""
    note: str = ""  # how a figure is counted, printed under the table


@dataclass(frozen=True)
class Evaluation:
    scope_name: str
    town: OrgUnit | None
    period: Period
    before: Period
    before_has_data: bool
    data_since: date | None
    generated_on: date
    measures: list[Measure]
    aims: tuple[str, ...] = AIMS
    title: str = REPORT_TITLE
    unfilled: list[str] = field(default_factory=list)


def _share(part: int | None, whole: int | None) -> Decimal | None:
    if not whole or part is None:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def _measures(now: Figures, before: Figures | None) -> list[Measure]:
    """The report's sections, in the order of plan 二, each with its figures now and before."""

    def pair(getter: Callable[[Figures], dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any] | None]:
        return getter(now), (getter(before) if before is not None else None)

    def row(
        label: str,
        unit: str,
        figures: tuple[dict[str, Any], dict[str, Any] | None],
        key: Any,
        indent: int = 0,
    ) -> Row:
        current, previous = figures
        pick = key if callable(key) else (lambda f: f.get(key))
        return Row(label, unit, pick(current), pick(previous) if previous is not None else None, indent)

    cases = pair(Figures.cases)
    investigations = pair(Figures.investigations)
    notices = pair(Figures.notices)
    filings = pair(Figures.filings)
    enrolled = pair(Figures.enrolled)
    movements = pair(Figures.movements)
    adjustments = pair(Figures.adjustments)
    checks = pair(Figures.checks)
    visits = pair(Figures.visits)
    social = pair(Figures.social_forces)
    warnings = pair(Figures.warnings)
    shared = pair(Figures.shared_data)
    assistance = pair(Figures.assistance)

    category_rows = [
        row(f"批准纳入{label}", "件", cases, lambda f, c=code: f["by_category"].get(c, 0), 1)
        for code, label in CATEGORIES
    ]
    measures = [
        Measure(
            "二（一）",
            "标准体系衔接并轨：统一对标确定对象（一次申请、分类审核）",
            "全面推行“一次申请、分类审核”，一次申请按特困、低保、低保边缘、刚性支出困难、防止返贫监测分类认定，重复类别予以标识。",
            [
                row("作出审批决定的申请", "件", cases, "decided"),
                row("其中批准", "件", cases, "approved", 1),
                row("其中不予批准", "件", cases, "rejected", 1),
                row("一次申请认定两个及以上类别", "件", cases, "several"),
                row("防止返贫监测与其他类别重复并标识", "件", cases, "overlap"),
                *category_rows,
                row("与系统测算不一致并书面说明理由", "件", cases, "departures"),
            ],
        ),
        Measure(
            "二（三）1",
            "工作体系衔接并轨：同窗受理",
            "试点镇社会事务办统一受理，村（居）委会协助申请、不得拒绝代为提交，也可线上申请。",
            [
                row("受理申请", "件", cases, "accepted"),
                row("镇窗口申请", "件", cases, "window", 1),
                row("村(居)委会协助申请", "件", cases, "village", 1),
                row("线上申请", "件", cases, "online", 1),
                row("村(居)委会或驻村工作队代为申请", "件", cases, "proxy"),
                row("按告知承诺制办理", "件", cases, "commitment"),
                row("申请人撤回", "件", cases, "withdrawn"),
            ],
        ),
        Measure(
            "二（三）2",
            "工作体系衔接并轨：同步调查",
            "受理后立即启动家庭经济状况核对，社会事务办会同农办2人以上入户调查，5个工作日内完成。",
            [
                row("完成入户调查", "件", investigations, "completed"),
                row("调查组2人以上", "件", investigations, "team_of_two", 1),
                row("5个工作日内完成", "件", investigations, "in_5", 1),
                row("发起家庭经济状况核对", "件", investigations, "checked", 1),
                row("采用视频调查（记录原因）", "件", investigations, "video", 1),
            ],
        ),
        Measure(
            "二（三）3",
            "工作体系衔接并轨：同期公示",
            "村（居）委会在固定公示栏公示5天；无异议的确定为拟救助帮扶对象，有异议的重新调查。",
            [
                row("张贴公示", "期", notices, "posted"),
                row("公示对象", "户次", notices, "items"),
                row("公示无异议", "户次", notices, "no_objection", 1),
                row("有异议重新调查", "户次", notices, "objected", 1),
                row("收到异议", "件", notices, "received"),
                row("已答复异议", "件", notices, "answered", 1),
            ],
        ),
        Measure(
            "二（三）4",
            "工作体系衔接并轨：同时研判、审核确认与备案标识",
            "专班3个工作日内集中研判，告知承诺制10个、常规程序20个工作日内办结（延长不超过45个工作日），报市民政局备案、市农业农村局标识。",
            [
                row("作出审批决定", "件", cases, "decided"),
                row("在办结期限内作出决定", "件", cases, "in_time", 1),
                row(
                    "在办结期限内作出决定的比例", "%", cases, lambda f: _share(f["in_time"], f["decided"]), 1
                ),
                row("告知承诺制：10个工作日内办结", "件", cases, "commitment_in_10", 1),
                row("告知承诺制：作出决定", "件", cases, "commitment_decided", 1),
                row("常规程序：20个工作日内办结", "件", cases, "regular_in_20", 1),
                row("常规程序：作出决定", "件", cases, "regular_decided", 1),
                row("延期办结", "件", cases, "extended", 1),
                row("公示结束后3个工作日内研判", "件", cases, "review_in_3", 1),
                row("报送市民政局备案", "件", filings, "civil"),
                row("市民政局已确认", "件", filings, "civil_ack", 1),
                row("报送市农业农村局标识", "件", filings, "agri"),
                row("市农业农村局已确认", "件", filings, "agri_ack", 1),
                row("退回更正", "件", filings, "returned"),
                row("备案案件", "件", filings, "cases"),
                row("备案全部确认的案件", "件", filings, "cases_all_ack", 1),
                row("两局均已确认的案件", "件", filings, "cases_both_ack", 1),
            ],
        ),
        Measure(
            "二（三）5",
            "工作体系衔接并轨：同频监测",
            "纳入救助帮扶的对象长期公示，两局依托监测平台开展数据调度、动态监测。",
            [
                row("期末在册家庭", "户", enrolled, "households"),
                *[
                    row(
                        f"期末在册：{label}",
                        "户",
                        enrolled,
                        lambda f, c=code: f["by_category"].get(c, 0),
                        1,
                    )
                    for code, label in CATEGORIES
                ],
                row("同时纳入防止返贫监测与其他类别", "户", enrolled, "overlap", 1),
            ],
        ),
        Measure(
            "二（四）1",
            "评价体系衔接并轨：线上核对（部门数据共享）",
            "两局每月与各职能部门实现数据共享，动态掌握困难变化情况。",
            _department_rows(shared),
        ),
        Measure(
            "二（二）1",
            "政策体系衔接并轨：预警信息分类处置",
            "民政部门依据监测预警信息分类处理并推送至相关行业帮扶部门。",
            [
                row("产生预警", "条", warnings, "raised"),
                *[
                    row(label, "条", warnings, lambda f, c=code: f["by_type"].get(c, 0), 1)
                    for code, label in WarningType.choices
                ],
                row("推送至行业部门", "条", warnings, "to_departments"),
                row("已反馈处理", "条", warnings, "handled"),
                row("按期反馈处理", "条", warnings, "on_time", 1),
                row("按期处理比例", "%", warnings, lambda f: _share(f["on_time"], f["due_or_handled"]), 1),
                row("逾期报送市直局", "条", warnings, "escalated"),
                row("期末逾期未处理", "条", warnings, "open_overdue"),
            ],
            note=ON_TIME_RULE.replace("按时率", "按期处理比例"),
        ),
        Measure(
            "二（二）2",
            "政策体系衔接并轨：专项救助与急难救助",
            "完善医疗、教育、住房、就业、受灾人员等专项社会救助；急难发生地“小金额先行救助，事后补充说明情况”。",
            [
                row("获得救助帮扶的人员", "人", assistance, "people"),
                row("涉及家庭", "户", assistance, "households"),
                row("救助金额", "元", assistance, lambda f: f["amount"] or Decimal("0.00")),
                *[
                    row(
                        label,
                        "人",
                        assistance,
                        lambda f, k=code: (f["per_kind"].get(k) or {}).get("people", 0),
                        1,
                    )
                    for code, label in AssistanceKind.choices
                ],
                row("临时救助", "笔", assistance, "temporary"),
                row("已事后补充说明", "笔", assistance, "temporary_explained", 1),
            ],
        ),
        Measure(
            "二（二）3",
            "政策体系衔接并轨：社会力量参与",
            "支持引导慈善项目、志愿服务等社会力量参与，政府救助与慈善帮扶在对象、信息、资源上匹配对接。",
            [
                row("在服务的慈善项目", "个", social, "projects"),
                row("在服务的志愿者(服务队)", "个", social, "volunteers"),
                row("登记的家庭帮扶需求", "项", social, "needs"),
                row("已对接", "项", social, "needs_matched", 1),
                row("社会力量帮扶", "次", social, "helped"),
                row("受帮扶家庭", "户", social, "helped_households", 1),
            ],
        ),
        Measure(
            "二（四）2",
            "评价体系衔接并轨：线下核查（巡访探视、不定期核查、年度核查）",
            "村（居）委会和驻村工作队常态化巡访探视；试点镇不定期开展核查，市级每年开展一次年度核查。",
            [
                row("巡访探视", "次", visits, "visits"),
                row("巡访覆盖家庭", "户", visits, "visited_households", 1),
                row("发现“两不愁三保障”或饮水安全无保障", "次", visits, "concerns", 1),
                row("下达核查任务", "项", checks, "given"),
                row("年度核查", "项", checks, "annual", 1),
                row("不定期核查", "项", checks, "ad_hoc", 1),
                row("完成核查", "项", checks, "done"),
                row("按期完成", "项", checks, "on_time", 1),
                *[
                    row(f"核查结果：{label}", "项", checks, f"result_{code}", 1)
                    for code, label in CheckResult.choices
                ],
                row("期末逾期未完成", "项", checks, "open_overdue"),
            ],
        ),
        Measure(
            "二（四）3",
            "评价体系衔接并轨：动态调整",
            "家庭人口、收入、财产变化的及时增发、减发或取消；积极就业、发展产业的给予渐退期；风险消除按程序标注。",
            [
                row("新纳入救助帮扶的家庭", "户", movements, "started_households"),
                row("退出（某一类别）的家庭", "户", movements, "ended_households"),
                *[
                    row(f"退出原因：{label}", "户", movements, lambda f, c=code: f["reasons"].get(c, 0), 1)
                    for code, label in END_REASONS
                ],
                row("处于渐退期的家庭", "户", movements, "gradual"),
                row("标注风险消除（市农业农村局已确认）", "户", visits, "risk_eliminated"),
                row("启动动态调整案件", "件", adjustments, "opened"),
                *[
                    row(f"调整起因：{label}", "件", adjustments, f"trigger_{code}", 1)
                    for code, label in Trigger.choices
                ],
                row("作出调整决定", "件", adjustments, "decided"),
                row("其中批准", "件", adjustments, "approved", 1),
                *[
                    row(f"调整结果：{label}", "项", adjustments, lambda f, c=code: f["outcomes"].get(c, 0), 1)
                    for code, label in Outcome.choices
                ],
            ],
        ),
    ]
    return sorted(measures, key=lambda m: PLAN_ORDER.index(m.number))


# The order of plan 二's measures, which the report follows.
PLAN_ORDER = (
    "二（一）",
    "二（二）1",
    "二（二）2",
    "二（二）3",
    "二（三）1",
    "二（三）2",
    "二（三）3",
    "二（三）4",
    "二（三）5",
    "二（四）1",
    "二（四）2",
    "二（四）3",
)


def _department_rows(shared: tuple[dict[str, Any], dict[str, Any] | None]) -> list[Row]:
    current, previous = shared
    before = {d["department__code"]: d for d in (previous or {}).get("departments", [])}
    rows: list[Row] = [
        Row(
            "报送数据的部门", "个", len(current["departments"]), len(before) if previous is not None else None
        )
    ]
    for dept in current["departments"]:
        prior = before.get(dept["department__code"])
        rows.append(
            Row(
                f"{dept['department__name']}：报送数据行",
                "行",
                dept["rows"] or 0,
                (prior["rows"] or 0) if prior else (0 if previous is not None else None),
                1,
            )
        )
        rows.append(
            Row(
                f"{dept['department__name']}：匹配到监测对象",
                "行",
                dept["matched"] or 0,
                (prior["matched"] or 0) if prior else (0 if previous is not None else None),
                2,
            )
        )
    return rows


# What the system does not record yet: the report says so instead of showing zeros.
UNFILLED: tuple[tuple[str, str, str], ...] = ()


def evaluation_build(
    *, user: Any, period: Period, town: OrgUnit | None, today: date | None = None
) -> Evaluation:
    """The evaluation in the user's scope: a town user gets their town whatever they ask; a bureau
    reviewer the city or the town chosen. Raises PermissionError for anyone else."""
    towns = evaluation_towns(user)
    if towns == []:
        raise PermissionError("no evaluation for this role")
    if towns is not None and (town is None or town.pk not in {t.pk for t in towns}):
        town = towns[0]
    town_id = town.pk if town is not None else None
    since = data_since(town_id)
    before_period = period.before()
    before_has_data = since is not None and since <= before_period.end
    measures = _measures(
        Figures(period, town_id), Figures(before_period, town_id) if before_has_data else None
    )
    return Evaluation(
        scope_name=town.name if town is not None else "大冶市（全市）",
        town=town,
        period=period,
        before=before_period,
        before_has_data=before_has_data,
        data_since=since,
        generated_on=today or timezone.localdate(),
        measures=measures,
        unfilled=[f"{number} {title}：{why}" for number, title, why in UNFILLED],
    )


def display(value: Value) -> str:
    if value is None:
        return "—"
    return f"{value:,}" if isinstance(value, int) else f"{value}"


def evaluation_pdf(evaluation: Evaluation) -> bytes:
    return render_pdf("desk/evaluation_print.html", {"e": evaluation})


def evaluation_xlsx(evaluation: Evaluation) -> bytes:
    """One sheet: the header, the aims, then every figure with its period and the one before, numbers as
    numbers (an accountant sums them), a "—" where the period before holds no data."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "试点评估"
    bold = Font(bold=True)
    sheet.append([evaluation.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["评估范围", evaluation.scope_name])
    sheet.append(["本期", evaluation.period.label()])
    sheet.append(
        ["上期（同等长度）", evaluation.before.label() + ("" if evaluation.before_has_data else "（无数据）")]
    )
    sheet.append(["生成日期", chinese_date(evaluation.generated_on)])
    sheet.append([])
    sheet.append(["一、工作目标"])
    sheet.cell(sheet.max_row, 1).font = bold
    for aim in evaluation.aims:
        sheet.append(["", aim])
    sheet.append([])
    sheet.append(["工作措施", "指标", "单位", "本期", "上期"])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for measure in evaluation.measures:
        sheet.append([f"{measure.number} {measure.title}"])
        sheet.cell(sheet.max_row, 1).font = bold
        for r in measure.rows:
            sheet.append(
                [
                    measure.number,
                    "　" * r.indent + r.label,
                    r.unit,
                    r.now if r.now is not None else "—",
                    r.before if r.before is not None else "—",
                ]
            )
    sheet.append([])
    sheet.append(["尚未填报的工作措施"])
    sheet.cell(sheet.max_row, 1).font = bold
    for line in evaluation.unfilled:
        sheet.append(["", line])
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 44
    sheet.column_dimensions["C"].width = 9
    sheet.column_dimensions["D"].width = 12
    sheet.column_dimensions["E"].width = 12
    for cells in sheet.iter_rows(min_col=2, max_col=2):
        cells[0].alignment = Alignment(wrap_text=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
