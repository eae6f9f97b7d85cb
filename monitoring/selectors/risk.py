"""Risk elimination (风险消除, DESIGN §3.7): the candidate rule and the reads of the town's and the agri
bureau's pages.

On a date D, a household enrolled in `monitoring` (the household-level enrollment in force on D) is a
candidate
- by **income** when all of these hold:
  1. its last two assessments (the two latest by assessment date) are at least 6 months apart — the
     earlier one on or before the same day six months before the later one (month ends clamp:
     2026-08-31 − 6 months = 2026-02-28);
  2. both put per-capita annual income strictly **above** the monitoring standard in force for its
     village on that assessment's date (income equal to the standard is not above it);
  3. its last visit on or before D was within the last 6 months (on or after D − 6 months) and found all
     six items secure;
  4. it has no warning that is not yet closed (待处理, 处理中 or 已反馈 but not 已办结);
- **naturally** (自然消除) when no member is left in the household (every member died or left).
A household already in a review that is not yet acknowledged, with the decision to eliminate, is not
listed again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.fields.json import KT
from django.db.models.functions import RowNumber

from accounts.access import risk_read_towns
from eligibility.models import Assessment
from eligibility.selectors import ParameterTable
from households.models import Enrollment, Household, Member
from households.selectors.households import enrolled_on

from ..glossary import RiskBasis, RiskDecisionKind, RiskReviewStatus, WarningStatus
from ..models import ALL_SECURE, RiskReview, Visit, Warning
from ..parsing import months_before

APART_MONTHS = 6  # DESIGN §3.7: "its last two assessments, at least 6 months apart"
VISIT_WITHIN_MONTHS = 6  # DESIGN §3.7: "its last visit (within 6 months) has all six items secure"
PENDING_REVIEW = (RiskReviewStatus.DECIDED, RiskReviewStatus.FILED, RiskReviewStatus.RETURNED)


@dataclass(frozen=True)
class AssessmentFact:
    as_of: date
    income: Decimal | None  # per-capita annual income; None when the stored result lacks it
    standard: Decimal  # the monitoring standard in force on `as_of`

    @property
    def standard_display(self) -> str:
        return f"{self.standard:.2f}"

    @property
    def above(self) -> bool:
        return self.income is not None and self.income > self.standard


@dataclass(frozen=True)
class VisitFact:
    visited_on: date
    all_secure: bool


def assessments_apart(newer: date, older: date) -> bool:
    return older <= months_before(newer, APART_MONTHS)


def income_reasons(
    *, assessments: list[AssessmentFact], last_visit: VisitFact | None, open_warnings: int, on: date
) -> list[str]:
    """Why a household is NOT an income candidate on `on` (Chinese, for the page); empty: it is one.
    `assessments` are the household's latest first."""
    reasons = []
    if len(assessments) < 2:
        reasons.append("测算记录不足两次")
    else:
        newer, older = assessments[0], assessments[1]
        if not assessments_apart(newer.as_of, older.as_of):
            reasons.append(
                f"最近两次测算（{older.as_of.isoformat()}、{newer.as_of.isoformat()}）间隔不足6个月"
            )
        for fact in (older, newer):
            if not fact.above:
                reasons.append(
                    f"{fact.as_of.isoformat()} 测算人均年收入未高于监测标准 {fact.standard.normalize():f}"
                )
    if last_visit is None:
        reasons.append("没有巡访记录")
    elif last_visit.visited_on < months_before(on, VISIT_WITHIN_MONTHS):
        reasons.append(f"最近一次巡访（{last_visit.visited_on.isoformat()}）已超过6个月")
    elif not last_visit.all_secure:
        reasons.append(f"最近一次巡访（{last_visit.visited_on.isoformat()}）有未保障事项")
    if open_warnings:
        reasons.append(f"有{open_warnings}条未办结预警")
    return reasons


@dataclass
class RiskCandidate:
    household: Household
    basis: str
    assessments: list[AssessmentFact] = field(default_factory=list)
    last_visit: VisitFact | None = None

    @property
    def basis_label(self) -> str:
        return RiskBasis(self.basis).label


@dataclass
class RiskStanding:
    """A monitoring household on the candidate page: a candidate (basis set) or why not (reasons)."""

    household: Household
    basis: str | None
    reasons: list[str]
    assessments: list[AssessmentFact]
    last_visit: VisitFact | None


def _income(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def monitoring_households(*, town_ids: frozenset[int] | None, on: date) -> QuerySet[Household]:
    """Households with a household-level monitoring enrollment in force on `on`, in the towns (None: all)."""
    enrolled = Enrollment.objects.filter(enrolled_on(on), category="monitoring", member__isnull=True)
    qs = Household.objects.filter(pk__in=enrolled.values("household_id"))
    if town_ids is not None:
        qs = qs.filter(village__parent_id__in=town_ids)
    return qs


def standings(*, town_ids: frozenset[int] | None, on: date) -> list[RiskStanding]:
    """Every monitoring household in the towns on `on`, each a candidate or with the reasons why not.
    A fixed number of queries whatever the count."""
    pending = RiskReview.objects.filter(
        status__in=PENDING_REVIEW,
        decisions__decision=RiskDecisionKind.ELIMINATE,
        decisions__household=OuterRef("pk"),
    )
    last_visit = Visit.objects.filter(household_id=OuterRef("pk"), visited_on__lte=on).order_by(
        "-visited_on", "-pk"
    )
    households = list(
        monitoring_households(town_ids=town_ids, on=on)
        .annotate(
            has_members=Exists(Member.objects.filter(household_id=OuterRef("pk"), is_active=True)),
            in_review=Exists(pending),
            last_visit_on=Subquery(last_visit.values("visited_on")[:1]),
            last_visit_pk=Subquery(last_visit.values("pk")[:1]),
        )
        .select_related("village__parent")
        .order_by("village__code", "household_number")
    )
    ids = [h.pk for h in households]
    secure_visits = set(
        Visit.objects.filter(pk__in=[h.last_visit_pk for h in households if h.last_visit_pk])
        .filter(ALL_SECURE)
        .values_list("pk", flat=True)
    )
    open_warnings: dict[int, int] = {}
    for household_id in (
        Warning.objects.filter(household_id__in=ids)
        .exclude(status=WarningStatus.CLOSED)
        .values_list("household_id", flat=True)
    ):
        open_warnings[household_id] = open_warnings.get(household_id, 0) + 1
    latest = (
        Assessment.objects.filter(household_id__in=ids, as_of__lte=on)
        .annotate(
            income=KT("result__per_capita_annual_income"),
            rank=Window(
                RowNumber(), partition_by=F("household_id"), order_by=[F("as_of").desc(), F("pk").desc()]
            ),
        )
        .filter(rank__lte=2)
        .values_list("household_id", "as_of", "income", "rank")
    )
    table = ParameterTable.load()
    regions = {h.pk: h.village.code for h in households}
    facts: dict[int, list[tuple[int, AssessmentFact]]] = {}
    for household_id, as_of, income, rank in latest:
        standard = table.in_force(regions[household_id], as_of).monitoring_standard_annual
        facts.setdefault(household_id, []).append((rank, AssessmentFact(as_of, _income(income), standard)))
    result = []
    for household in households:
        if household.in_review:
            continue
        assessments = [fact for _, fact in sorted(facts.get(household.pk, []), key=lambda pair: pair[0])]
        visit = (
            VisitFact(household.last_visit_on, household.last_visit_pk in secure_visits)
            if household.last_visit_on is not None
            else None
        )
        if not household.has_members or not household.is_active:
            result.append(RiskStanding(household, RiskBasis.NATURAL, [], assessments, visit))
            continue
        reasons = income_reasons(
            assessments=assessments, last_visit=visit, open_warnings=open_warnings.get(household.pk, 0), on=on
        )
        result.append(
            RiskStanding(household, None if reasons else RiskBasis.INCOME, reasons, assessments, visit)
        )
    return result


def risk_candidates(*, town_ids: frozenset[int] | None, on: date) -> list[RiskStanding]:
    """The candidates only."""
    return [s for s in standings(town_ids=town_ids, on=on) if s.basis]


def risk_candidates_for(user: Any, on: date) -> list[RiskStanding]:
    """The candidates in the user's scope (the towns of its town roles; the whole city for the agri
    bureau's reviewer; none for anyone else), for the desks to count."""
    towns = risk_read_towns(user)
    if towns is not None and not towns:
        return []
    return risk_candidates(town_ids=towns, on=on)


def readable_town_filter(user: Any) -> Q:
    """A filter on RiskReview for the reviews this user reads."""
    towns = risk_read_towns(user)
    return Q() if towns is None else Q(town_id__in=towns)


def review_list(*, user: Any, status: str = "") -> QuerySet[RiskReview]:
    qs = RiskReview.objects.filter(readable_town_filter(user)).select_related("town", "created_by")
    if status:
        qs = qs.filter(status=status)
    return qs


def review_detail(*, user: Any, pk: int) -> RiskReview | None:
    return (
        review_list(user=user)
        .filter(pk=pk)
        .select_related("acknowledged_by")
        .prefetch_related("decisions__household__village")
        .first()
    )
