"""Who counts in the household (共同生活家庭成员) and who is able to support whom (DESIGN §3.1)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

from eligibility.snapshot import MemberFacts
from households import codes

from .base import Household, who

_RELATION_LABELS = codes.labels(codes.SUPPORTER_RELATIONS)  # of an external supporter to the member


# Relations with a legal duty of support towards the applicant or from the applicant (§3.1 rule 4).
# Relations whose parents the members' relations do not show: a minor of these has parents elsewhere.
_PARENTS_ELSEWHERE = frozenset({"grandchild", "other"})


PARENTS_ELSEWHERE_LABEL = "父母（不在本户，未登记为死亡、失踪或无抚养能力）"


_SUPPORT_DUTY = frozenset({"parent", "child", "grandparent", "grandchild", "sibling"})


_STUDENT_LEVELS = codes.BACHELOR_OR_BELOW


def age_on(birth: date, day: date) -> int:
    """Whole years of age on `day`."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def has_disability(member: MemberFacts) -> bool:
    return member.disability_grade is not None or member.disability_type is not None


def is_severely_disabled(member: MemberFacts) -> bool:
    """重残: grade 1–2 of any type, or grade 3 intellectual or mental disability."""
    grade = member.disability_grade
    return grade in (1, 2) or (grade == 3 and member.disability_type in ("intellectual", "mental"))


def membership_rule(member: MemberFacts, as_of: date) -> tuple[bool, str]:
    """Whether a member counts (共同生活家庭成员) and the rule code that decides it (§3.1)."""
    if member.relation == "applicant":
        return True, "applicant"
    if member.imprisoned:
        return False, "imprisoned"
    if member.relation == "spouse":
        return True, "spouse"
    if member.relation == "child":
        if age_on(member.birth_date, as_of) < 18:
            return True, "minor_child"
        if member.full_time_student and member.education_level in _STUDENT_LEVELS:
            return True, "student_child"
        if (has_disability(member) or member.serious_illness) and member.labor_capacity != "full":
            return True, "dependent_adult_child"
    if member.relation in _SUPPORT_DUTY and (member.lives_together or member.shares_finances):
        return True, "supporting_relative"
    return False, "not_included"


def no_labor_capacity(member: MemberFacts, age: int) -> str | None:
    """Why the member has no labor capacity, or None when they have some."""
    if member.labor_capacity == "none":
        return "经认定"
    if age >= 60:
        return "年满60周岁"
    if age < 16:
        return "未满16周岁"
    if is_severely_disabled(member):
        return "重度残疾"
    return None


def without_living_source(member: MemberFacts, household: Household) -> bool:
    return member.annual_income < household.limits.standard_year


def parents_elsewhere_able(member: MemberFacts, as_of: date) -> bool:
    """A minor whose parents are not among the members (a grandchild, another relative) has them as legal
    supporters able to support, unless the member records them as all dead, missing or without capacity
    (`parents_status: "unable"`; absent means able)."""
    return (
        member.relation in _PARENTS_ELSEWHERE
        and age_on(member.birth_date, as_of) < 18
        and member.parents_status != "unable"
    )


def legal_supporters(index: int, members: Sequence[MemberFacts], as_of: date) -> list[MemberFacts]:
    """The member's spouse, children and parents among the snapshot's members (relations per §3.1); for a
    minor grandchild whose parents are recorded unable, the grandparents (the applicant and the spouse),
    whose duty then arises (民法典第一千零七十四条)."""
    member = members[index]
    wanted = {
        "applicant": ("spouse", "child", "parent"),
        "spouse": ("applicant", "child"),
        "child": ("applicant", "spouse"),
        "parent": ("applicant", "sibling", "parent"),  # children, and the other parent as spouse
        "sibling": ("parent",),
    }.get(member.relation, ())
    if (
        member.relation == "grandchild"
        and member.parents_status == "unable"
        and age_on(member.birth_date, as_of) < 18
    ):
        wanted = ("applicant", "spouse")
    return [other for position, other in enumerate(members) if position != index and other.relation in wanted]


def _each_able_supporter(index: int, household: Household) -> Iterator[tuple[str, str]]:
    """(how the staff's text names them, how the family's text names them) of each able supporter, one at
    a time: the verdict stops at the first."""
    snapshot = household.snapshot
    member = snapshot.members[index]
    if parents_elsewhere_able(member, snapshot.as_of):
        yield PARENTS_ELSEWHERE_LABEL, PARENTS_ELSEWHERE_LABEL
    for other in legal_supporters(index, snapshot.members, snapshot.as_of):
        unable = other.imprisoned or (
            no_labor_capacity(other, age_on(other.birth_date, snapshot.as_of)) is not None
            and without_living_source(other, household)
        )
        if not unable:
            yield other.ref, who(other)
    for supporter in snapshot.external_supporters:
        if supporter.supports == member.ref and supporter.able_to_support:
            named = f"{supporter.name or '外部义务人'}（{_RELATION_LABELS[supporter.relation]}）"
            yield named, named


def has_able_supporter(index: int, household: Household) -> bool:
    return next(_each_able_supporter(index, household), None) is not None


def able_supporters(index: int, household: Household) -> list[tuple[str, str]]:
    """Every able supporter, in order, for the reason's texts."""
    return sorted(_each_able_supporter(index, household))
