"""Demo special assistance and social forces (DESIGN §3.8): a hand-entered record, a temporary assistance
still waiting for its explanation, two charity projects and a volunteer team, a need matched and helped and
one still open. Through the real services; a second run finds the projects registered and adds nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from accounts.models import OrgUnit, User
from charities import services as social
from charities.models import SocialResource
from households.models import Member
from households.services.assistance import assistance_record_create, temporary_assistance_grant

RESOURCES = [
    (
        "project",
        "春蕾助学",
        "大冶市慈善总会",
        "education",
        "困难家庭中小学生每学期助学金",
        ["420281104", "420281101"],
    ),
    ("volunteer", "东湖村红马甲志愿服务队", "团市委", "care", "每周上门照料独居、失能老人", ["420281104"]),
    ("project", "安居修缮", "大冶市红十字会", "housing", "危旧房屋小修小补", ["420281101"]),
]


def seed_assistance() -> int:
    """Returns how many projects were new (0 on a second run)."""
    if SocialResource.objects.exists():
        return 0
    reviewer = User.objects.get(username="reviewer_mz")
    clerk = User.objects.get(username="clerk_hdq")
    resources = [
        social.social_resource_register(
            data={
                "kind": kind,
                "name": name,
                "organization": org,
                "need_kind": need,
                "offer": offer,
                "active": True,
            },
            towns=list(OrgUnit.objects.filter(code__in=towns)),
            acting_user=reviewer,
        )
        for kind, name, org, need, offer, towns in RESOURCES
    ]
    applicants = list(
        Member.objects.filter(
            is_active=True, relation="applicant", household__village__parent__code="420281104"
        )
        .select_related("household__village")
        .order_by("household__household_number")[:3]
    )
    if len(applicants) < 3:
        return len(resources)
    first, second, third = applicants
    assistance_record_create(
        household=first.household,
        member=first,
        kind="medical",
        received_on=date(2026, 9, 12),
        amount=Decimal("2350.00"),
        note="住院医疗救助",
        acting_user=clerk,
    )
    temporary_assistance_grant(
        household=second.household,
        member=second,
        received_on=date(2026, 11, 3),
        amount=Decimal("1000.00"),
        reason="突发疾病住院，家中无力支付押金",
        acting_user=clerk,
    )
    need = social.need_record(
        household=first.household,
        member=None,
        kind="education",
        description="孩子读初中，学杂费困难",
        acting_user=clerk,
        on=date(2026, 9, 1),
    )
    match = social.need_match(need=need, resource=resources[0], acting_user=clerk)
    social.help_given_record(
        match=match,
        received_on=date(2026, 9, 20),
        amount=Decimal("800.00"),
        note="秋季学期助学金",
        acting_user=clerk,
    )
    social.need_record(
        household=third.household,
        member=third,
        kind="care",
        description="独居老人，行动不便，需要定期照料",
        acting_user=clerk,
        on=date(2026, 11, 10),
    )
    return len(resources)
