"""Printed forms of the case (DESIGN §3.8): A4 PDFs in Chinese, with the CJK font embedded.

`FORMS` names the seven forms and says from when each can be printed; `form_context()` gathers what a form's
template needs in a fixed number of queries, whatever the size of the family; `daye_relief.pdf.render_pdf()`
turns a template into PDF bytes with WeasyPrint.

ID numbers: the forms kept in the case file (application, commitment with the check authorization,
investigation, review record, filing sheet) show full ID numbers, but only to the roles that see full
numbers on screen too (`accounts.access.sees_full_id_numbers`); everyone else gets them masked. What is
handed to the family (the materials list, the approval and rejection notices) always shows them masked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch
from django.utils import timezone

from accounts.glossary import Role
from accounts.models import User
from households.glossary import Category, Relation
from households.models import Asset, Enrollment, Member, RigidExpense

from .glossary import MATERIALS, Bureau, Method, Stage
from .models import AdjustmentMemberChange, Application, CategoryDecision, Filing, Investigation, Review
from .sources import describe_source

TEMPLATE_DIR = "applications/print"


# The forms ---------------------------------------------------------------------------------------------


def _always(application: Application) -> bool:
    return True


def _investigation_started(application: Application) -> bool:
    if application.stage == Stage.ACCEPTED:
        return False
    return Investigation.objects.filter(application=application).exists()


def _reviewed(application: Application) -> bool:
    if application.stage not in (Stage.APPROVED, Stage.REJECTED, Stage.FILED, Stage.WITHDRAWN):
        return False
    return Review.objects.filter(application=application).exists()


def _filed(application: Application) -> bool:
    if application.stage not in (Stage.FILED, Stage.WITHDRAWN):
        return False
    return Filing.objects.filter(application=application).exists()


@dataclass(frozen=True)
class PrintForm:
    code: str
    title: str
    template: str
    available: Callable[[Application], bool]
    unavailable_message: str
    # Handed to the family (notices, the materials list): ID numbers always masked.
    for_family: bool
    # What form_context() reads besides the case, the household and the applicant.
    needs: frozenset[str]


FORMS: dict[str, PrintForm] = {
    form.code: form
    for form in (
        PrintForm(
            "application",
            "救助帮扶申请书（申请表）",
            f"{TEMPLATE_DIR}/application.html",
            _always,
            "",
            for_family=False,
            needs=frozenset({"members", "property"}),
        ),
        PrintForm(
            "materials",
            "一次性告知材料清单",
            f"{TEMPLATE_DIR}/materials.html",
            _always,
            "",
            for_family=True,
            needs=frozenset(),
        ),
        PrintForm(
            "commitment",
            "家庭经济状况真实性承诺书（含核对授权）",
            f"{TEMPLATE_DIR}/commitment.html",
            _always,
            "",
            for_family=False,
            needs=frozenset({"members"}),
        ),
        PrintForm(
            "investigation",
            "入户调查表",
            f"{TEMPLATE_DIR}/investigation.html",
            _investigation_started,
            "该案件尚未启动入户调查，暂不能打印入户调查表。",
            for_family=False,
            needs=frozenset({"members", "property", "investigation"}),
        ),
        PrintForm(
            "review",
            "集体研判记录",
            f"{TEMPLATE_DIR}/review.html",
            _reviewed,
            "该案件尚未经镇工作专班集体研判，暂不能打印集体研判记录。",
            for_family=False,
            needs=frozenset({"members", "investigation", "review"}),
        ),
        PrintForm(
            "decision",
            "审批通知书",
            f"{TEMPLATE_DIR}/decision.html",
            _reviewed,
            "该案件尚未作出审批决定，暂不能打印审批通知书。",
            for_family=True,
            needs=frozenset({"review"}),
        ),
        PrintForm(
            "filing",
            "备案表",
            f"{TEMPLATE_DIR}/filing.html",
            _filed,
            "该案件尚未报送备案，暂不能打印备案表。",
            for_family=False,
            needs=frozenset({"members", "review", "filings"}),
        ),
    )
}


# What the templates read -------------------------------------------------------------------------------

_RELATION_ORDER = {code: index for index, code in enumerate(Relation.values)}
# The rule that counted or left out a member (DESIGN §3.1), as the investigation form shows it.
_MEMBERSHIP_RULES = {
    "applicant": "申请人",
    "spouse": "配偶",
    "minor_child": "未成年子女",
    "student_child": "在校就读子女",
    "dependent_adult_child": "不能独立生活的成年子女",
    "supporting_relative": "共同生活的法定赡养、抚养、扶养关系人",
    "imprisoned": "服刑人员",
    "not_included": "不计入",
}


@dataclass(frozen=True)
class MemberRow:
    """One member as a form prints it."""

    member: Member
    number: int
    relation: str
    sex: str
    id_number: str
    labor_capacity: str
    condition: str
    annual_income: Decimal
    counted: bool | None  # None: no assessment yet
    counted_rule: str


@dataclass(frozen=True)
class DecisionRow:
    decision: CategoryDecision
    category: str
    target: str
    monthly_amount: Decimal | None = None  # of the enrollment the approval started (cash categories only)


def _with_amounts(case: Application, review: Review, rows: list[DecisionRow]) -> list[DecisionRow]:
    """Each approved row with the monthly amount of the enrollment the approval started (DESIGN §3.7)."""
    amounts = {
        (e.category, e.member_id): e.monthly_amount
        for e in Enrollment.objects.filter(household_id=case.household_id, start_date=review.held_on)
    }
    return [
        replace(row, monthly_amount=amounts.get((row.decision.category, row.decision.member_id)))
        for row in rows
    ]


def _condition(member: Member) -> str:
    """Health, disability, schooling and custody, in a few words."""
    parts = []
    if member.disability_grade is not None or member.disability_type:
        kind = member.get_disability_type_display() if member.disability_type else ""
        grade = member.get_disability_grade_display() if member.disability_grade is not None else ""
        parts.append(f"{kind}{grade}残疾")
    if member.serious_illness:
        parts.append("患重病")
    if member.full_time_student:
        level = f"（{member.get_education_level_display()}）" if member.education_level else ""
        parts.append(f"全日制在校{level}")
    if member.imprisoned:
        parts.append("服刑")
    return "、".join(parts) or "健康"


def _member_rows(application: Application, members: list[Member], *, full_ids: bool) -> list[MemberRow]:
    assessed: dict[str, dict[str, Any]] = {}
    if application.assessment is not None:
        assessed = {row["ref"]: row for row in application.assessment.result.get("members", [])}
    ordered = sorted(
        members, key=lambda m: (m.pk != application.applicant_id, _RELATION_ORDER[m.relation], m.pk)
    )
    rows = []
    for number, member in enumerate(ordered, start=1):
        result = assessed.get(str(member.pk))
        rows.append(
            MemberRow(
                member=member,
                number=number,
                relation=member.get_relation_display(),
                sex=member.get_sex_display(),
                id_number=member.id_number if full_ids else member.masked_id_number,
                labor_capacity=member.get_labor_capacity_display(),
                condition=_condition(member),
                annual_income=sum((income.annual_amount for income in member.incomes.all()), Decimal("0.00")),
                counted=None if result is None else bool(result["counted"]),
                counted_rule="" if result is None else _MEMBERSHIP_RULES.get(result["rule"], result["rule"]),
            )
        )
    return rows


def _decision_rows(review: Review) -> list[DecisionRow]:
    return [
        DecisionRow(
            decision=decision,
            category=Category(decision.category).label,
            target=decision.member.name if decision.member else "全户",
        )
        for decision in review.decisions.all()
    ]


def _case_queryset(needs: frozenset[str]) -> Any:
    related = ["household__village__parent", "applicant", "town", "accepted_by", "assessment"]
    prefetch: list[Any] = []
    if "members" in needs:
        prefetch.append(
            Prefetch(
                "household__members",
                queryset=Member.objects.filter(is_active=True).prefetch_related("incomes"),
                to_attr="print_members",
            )
        )
    if "property" in needs:
        prefetch.append(
            Prefetch("household__assets", queryset=Asset.objects.order_by("pk"), to_attr="print_assets")
        )
        prefetch.append(
            Prefetch(
                "household__rigid_expenses",
                queryset=RigidExpense.objects.order_by("pk"),
                to_attr="print_expenses",
            )
        )
    if "investigation" in needs:
        related.append("investigation")
        prefetch.append(
            Prefetch(
                "investigation__team",
                queryset=User.objects.order_by("pk").prefetch_related("role_assignments"),
            )
        )
    if "review" in needs:
        prefetch.append(
            Prefetch(
                "reviews",
                queryset=Review.objects.select_related("approved_by")
                .prefetch_related(
                    Prefetch("attendees", queryset=User.objects.order_by("pk")),
                    Prefetch("decisions", queryset=CategoryDecision.objects.select_related("member")),
                )
                .order_by("-held_on", "-pk"),
                to_attr="print_reviews",
            )
        )
    if "filings" in needs:
        prefetch.append(
            Prefetch(
                "filings",
                queryset=Filing.objects.select_related("acted_by").order_by("pk"),
                to_attr="print_filings",
            )
        )
    return Application.objects.select_related(*related).prefetch_related(*prefetch)


def _team_label(user: Any, town_id: int) -> str:
    """An investigator's office within the town, from their roles there."""
    roles = {a.role for a in user.role_assignments.all() if a.org_unit_id == town_id}
    offices = [
        label
        for role, label in ((Role.TOWN_CLERK, "镇社会事务办"), (Role.TOWN_AGRI_OFFICER, "镇农办"))
        if role in roles
    ]
    return "、".join(offices)


def form_context(
    application: Application, code: str, *, full_id_numbers: bool = False, today: date | None = None
) -> dict[str, Any]:
    """What the form's template needs, read in a fixed number of queries.

    `full_id_numbers` says whether the person printing may see full ID numbers; forms handed to the family
    mask them whatever it says. Raises KeyError for an unknown form.
    """
    form = FORMS[code]
    case = _case_queryset(form.needs).get(pk=application.pk)
    household = case.household
    full_ids = full_id_numbers and not form.for_family
    applicant = case.applicant
    context: dict[str, Any] = {
        "form": form,
        "title": form.title,
        "application": case,
        "case_number": case.case_number,
        "print_date": today or timezone.localdate(),
        "household": household,
        "village": household.village,
        "town": case.town,
        "applicant": applicant,
        "applicant_id_number": applicant.id_number if full_ids else applicant.masked_id_number,
        "full_id_numbers": full_ids,
    }
    assessment = case.assessment
    if assessment is not None:
        result = assessment.result
        context["assessment"] = {
            "as_of": assessment.as_of,
            "categories": [Category(c).label for c in result.get("categories", []) if c in Category.values],
            "per_capita_monthly_income": result.get("per_capita_monthly_income"),
            "per_capita_annual_income": result.get("per_capita_annual_income"),
            "reasons": [r for r in result.get("reasons", []) if r.get("detail")],
        }
    if "members" in form.needs:
        rows = _member_rows(case, household.print_members, full_ids=full_ids)
        context["members"] = rows
        context["total_income"] = sum((row.annual_income for row in rows), Decimal("0.00"))
    if "property" in form.needs:
        context["assets"] = household.print_assets
        context["expenses"] = household.print_expenses
        context["total_expenses"] = sum((e.annual_amount for e in household.print_expenses), Decimal("0.00"))
    if "investigation" in form.needs:
        investigation = getattr(case, "investigation", None)
        context["investigation"] = investigation
        if investigation is not None:
            context["team"] = [
                {"name": str(user), "office": _team_label(user, case.town_id)}
                for user in investigation.team.all()
            ]
            context["methods"] = [
                {"label": label, "checked": value in investigation.methods} for value, label in Method.choices
            ]
    if code == "materials":
        context["materials"] = [
            {"label": label, "checked": value in case.materials} for value, label in MATERIALS
        ]
    if "review" in form.needs:
        review = case.print_reviews[0] if case.print_reviews else None
        context["review"] = review
        if review is not None:
            decisions = _decision_rows(review)
            context["decisions"] = decisions
            context["approved_decisions"] = _with_amounts(
                case, review, [row for row in decisions if row.decision.approved]
            )
            context["refused_decisions"] = [row for row in decisions if not row.decision.approved]
            context["attendees"] = [str(user) for user in review.attendees.all()]
    if case.is_adjustment and "review" in form.needs:
        context["outcomes"] = list(case.outcomes.select_related("member"))
        context["change"] = AdjustmentMemberChange.objects.filter(application=case).first()
        # What opened the case, in words ("收入增加预警（2026-11-29）"), not only its trigger ("预警").
        source = describe_source(AnonymousUser(), case.source) if case.source else None
        context["source_label"] = source.label if source is not None and source.label != case.source else ""
        context["gradual_exit"] = (
            Enrollment.objects.filter(household=household, gradual_exit_until__isnull=False)
            .filter(category__in=("dibao", "dibao_single"), end_date__isnull=True)
            .order_by("-gradual_exit_until")
            .values_list("gradual_exit_until", flat=True)
            .first()
            if case.gradual_exit_granted
            else None
        )
    if "filings" in form.needs:
        context["filings"] = [
            {
                "filing": filing,
                "bureau": Bureau(filing.bureau).label,
                "categories": [Category(c).label for c in filing.categories if c in Category.values],
            }
            for filing in case.print_filings
        ]
    return context
