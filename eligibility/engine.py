"""Eligibility rules (DESIGN §3.1 and §3.2) over a validated snapshot: pure, no database.

Money is Decimal. Every threshold comparison is exact and made without dividing: "per-capita monthly
income < standard" is tested as "total income < standard × 12 × counted members", so no rounding can move
a household across a line. The per-capita figures of the result are the quotients (exact when they
terminate, else to 28 more significant digits). Texts round ROUND_HALF_UP to 2 places, or to as many more
as it takes to show two unequal figures as unequal ("599.999 < 600.000", not "600.00 < 600.00").

Choices where the design leaves room:
- Ages are whole years; a person born on 29 February turns a year older on 1 March in common years.
- A full-time student with no education level is not a `student_child` (the level must be known).
- 特困 is judged for counted members only. A member's legal supporters are those §3.1's relations define:
  for the applicant the spouse, children and parents; for the spouse the applicant and the children; for a
  child the applicant and the spouse; for a parent the applicant, the siblings and the other parent; for a
  sibling the parents; a grandparent or grandchild has none among the members (list them as external).
  A minor grandchild or other relative has parents outside the members: they count as able unless the
  member's `parents_status` is `unable` (all dead, missing or without capacity); then a grandchild's
  grandparents (the applicant and the spouse) are its supporters among the members. A `child`'s parents
  are the applicant and the spouse, judged from their own facts.
- The vehicle value limit applies only where a vehicle is owned and the category allows one.
- `members[].categories` holds the member-level codes only (`tekun`, `dibao_single`); the household's
  codes are in `categories`.
- `reasons` has, in order: `property_dibao`, `property_marginal`, one `tekun` per counted member, `dibao`,
  `marginal`, one `dibao_single` per counted member of a marginal household (else one), `rigid_expense`,
  `monitoring`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal, localcontext
from functools import partial
from typing import Any, NamedTuple

from eligibility.benefits import Benefit, compute_benefits
from eligibility.parameters import ParameterSet
from eligibility.snapshot import Snapshot

from .rules.base import (
    CATEGORY_LABELS,
    CATEGORY_ORDER,
    EXACT,
    Household,
    Limits,
    Reason,
    Writers,
    fmt,
    limits_for,
    ordered,
    quotient,
)
from .rules.categories import (
    dibao_rule,
    dibao_single_rules,
    marginal_rule,
    monitoring_rule,
    rigid_expense_rule,
    tekun_rule,
)
from .rules.people import PARENTS_ELSEWHERE_LABEL, age_on, is_severely_disabled, membership_rule
from .rules.property import property_limits

# The engine's public names, for its callers (the rules live in eligibility.rules).
__all__ = [
    "CATEGORY_LABELS",
    "CATEGORY_ORDER",
    "PARENTS_ELSEWHERE_LABEL",
    "REASON_LABELS",
    "Evaluation",
    "MemberResult",
    "Reason",
    "age_on",
    "evaluate",
    "explain",
    "is_severely_disabled",
    "medical_assistance_ratio",
    "membership_rule",
]

# What each reason's rule is called on a page: the categories, and the two property checks.
REASON_LABELS = {**CATEGORY_LABELS, "property_dibao": "低保财产条件", "property_marginal": "低保边缘财产条件"}


@dataclass(frozen=True)
class MemberResult:
    ref: str
    counted: bool
    rule: str  # applicant, spouse, minor_child, ..., imprisoned, not_included
    categories: tuple[str, ...]  # member-level only: tekun, dibao_single


@dataclass(frozen=True, eq=False)
class Evaluation:
    """The result. `reasons` are written only when read (`to_json`, a page, a stored assessment): the
    categories, members and figures are decided first, without any text; the texts come from the same
    snapshot and parameters by the same rule functions (eligibility.rules), each handing its writer the
    facts its verdict was decided from, so a text cannot say other than the verdict."""

    as_of: date
    categories: tuple[str, ...]
    primary_category: str | None
    per_capita_monthly_income: Decimal
    per_capita_annual_income: Decimal
    members: tuple[MemberResult, ...]
    _reasons: tuple[Reason, ...] | None = field(default=None, repr=False)
    parameters: tuple[str, ...] = ()
    benefits: tuple[Benefit, ...] = ()  # cash benefits of §3.7 (eligibility.benefits)
    # What the reasons are written from, until they are: (snapshot, parameter set).
    _source: tuple[Snapshot, ParameterSet] | None = field(default=None, repr=False)

    @property
    def reasons(self) -> tuple[Reason, ...]:
        if self._reasons is None:
            assert self._source is not None, "an Evaluation needs its reasons or their source"
            object.__setattr__(self, "_reasons", explain(*self._source))
            object.__setattr__(self, "_source", None)
        assert self._reasons is not None
        return self._reasons

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Evaluation):
            return NotImplemented
        names = [f.name for f in fields(self) if not f.name.startswith("_")]
        return all(getattr(self, n) == getattr(other, n) for n in names) and self.reasons == other.reasons

    __hash__ = None  # type: ignore[assignment]

    def to_json(self) -> dict[str, Any]:
        """The evaluation in the shape of DESIGN §5."""
        return {
            "as_of": self.as_of.isoformat(),
            "categories": list(self.categories),
            "primary_category": self.primary_category,
            "per_capita_monthly_income": fmt(self.per_capita_monthly_income),
            "per_capita_annual_income": fmt(self.per_capita_annual_income),
            "members": [
                {"ref": m.ref, "counted": m.counted, "rule": m.rule, "categories": list(m.categories)}
                for m in self.members
            ],
            "reasons": [
                {
                    "rule": r.rule,
                    "passed": r.passed,
                    "detail": r.detail,
                    "member": r.member,
                    "family_text": r.family_text,
                }
                for r in self.reasons
            ],
            "parameters": list(self.parameters),
            "benefits": [benefit.to_json() for benefit in self.benefits],
        }


class _Run(NamedTuple):
    """Every rule of one snapshot, decided: the membership rules, the figures and the categories."""

    membership: list[tuple[bool, str]]
    total: Decimal
    size: int
    categories: tuple[str, ...]
    member_categories: dict[int, tuple[str, ...]]


def _run(snapshot: Snapshot, parameters: ParameterSet, limits: Limits, writers: Writers = None) -> _Run:
    """Decides every rule; with `writers`, each rule leaves there the writer of its reason, in the order of
    the reasons the module doc gives."""
    membership = [membership_rule(member, snapshot.as_of) for member in snapshot.members]
    counted_indexes = [index for index, (counts, _) in enumerate(membership) if counts]
    counted = tuple(snapshot.members[index] for index in counted_indexes)
    household = Household(
        snapshot, parameters, limits, counted, sum((member.annual_income for member in counted), Decimal(0))
    )
    dibao_property = property_limits(household, "dibao")
    marginal_property = property_limits(household, "marginal")
    if writers is not None:
        writers += [partial(dibao_property.reason, household), partial(marginal_property.reason, household)]

    member_categories: dict[int, list[str]] = {}
    for index in counted_indexes:
        if tekun_rule(household, index, dibao_property, writers):
            member_categories.setdefault(index, []).append("tekun")

    found: set[str] = set()
    if dibao_rule(household, dibao_property, writers):
        found.add("dibao")
    marginal = marginal_rule(household, marginal_property, writers)
    if marginal:
        found.add("marginal")
    singles = dibao_single_rules(household, writers, marginal=marginal)
    for index, single in zip(counted_indexes, singles, strict=False):
        if single:
            member_categories.setdefault(index, []).append("dibao_single")
    for codes in member_categories.values():
        found.update(codes)

    if rigid_expense_rule(household, marginal_property, writers, others=frozenset(found)):
        found.add("rigid_expense")
    if monitoring_rule(household, marginal_property, writers, others=frozenset(found)):
        found.add("monitoring")
    return _Run(
        membership,
        household.total_income,
        household.size,
        ordered(found) if found else (),
        {index: ordered(codes) for index, codes in member_categories.items()},
    )


def evaluate(snapshot: Snapshot, parameters: ParameterSet, *, with_benefits: bool = True) -> Evaluation:
    """Classifies a household on `snapshot.as_of` with the parameters in force on that date.
    `with_benefits=False` leaves `benefits` empty, for a caller that reads only the categories and the
    figures (the bulk re-evaluation): the amounts are a tenth of the time and change no category."""
    limits = limits_for(parameters, snapshot.hukou_type)
    with localcontext(EXACT):
        run = _run(snapshot, parameters, limits)
    categories = run.categories
    evaluation = Evaluation(
        as_of=snapshot.as_of,
        categories=categories,
        primary_category=next((code for code in CATEGORY_ORDER if code in categories), None),
        per_capita_monthly_income=quotient(run.total, run.size * 12),
        per_capita_annual_income=quotient(run.total, run.size),
        members=tuple(
            MemberResult(
                ref=member.ref, counted=counts, rule=rule, categories=run.member_categories.get(index, ())
            )
            for index, (member, (counts, rule)) in enumerate(
                zip(snapshot.members, run.membership, strict=True)
            )
        ),
        parameters=tuple(parameters.refs),
        _source=(snapshot, parameters),
    )
    if not with_benefits:
        return evaluation
    benefits = compute_benefits(
        snapshot, evaluation.members, evaluation.categories, parameters, tekun_amount=limits.tekun_amount
    )
    object.__setattr__(evaluation, "benefits", benefits)
    return evaluation


def explain(snapshot: Snapshot, parameters: ParameterSet) -> tuple[Reason, ...]:
    """The reasons of `evaluate(snapshot, parameters)`: each rule with its staff and family texts."""
    with localcontext(EXACT):
        writers: list[Callable[[], Reason]] = []
        _run(snapshot, parameters, limits_for(parameters, snapshot.hukou_type), writers)
        return tuple(write() for write in writers)


def medical_assistance_ratio(
    categories: Iterable[str], parameters: ParameterSet, illness_impoverished: bool = False
) -> Decimal | None:
    """The most favorable medical-assistance ratio in percent (100 = full), or None when none applies.

    `dibao_single` members are 低保 recipients; `rigid_expense` alone gives no ratio unless the person is
    an illness-impoverished patient (因病致贫重病患者).
    """
    by_category = {
        "tekun": parameters.medical_ratio_tekun,
        "dibao": parameters.medical_ratio_dibao,
        "dibao_single": parameters.medical_ratio_dibao,
        "marginal": parameters.medical_ratio_marginal,
        "monitoring": parameters.medical_ratio_monitoring,
    }
    ratios = [by_category[code] for code in categories if code in by_category]
    if illness_impoverished:
        ratios.append(parameters.medical_ratio_illness)
    return max(ratios, default=None)
