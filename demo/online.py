"""An online application waiting in 还地桥镇's inbox (DESIGN §3.12): a family not yet registered applied from
a phone with a photo of its ID cards, so that `make run` shows the clerk's side of online intake."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from accounts.models import OrgUnit
from eligibility.evaluation import evaluate_submitted
from eligibility.forms import self_check_snapshot
from households.idnumbers import make
from online.models import OnlineApplication
from online.services import Submission, Upload, online_application_submit

from .documents import demo_photo

MEMBERS = [
    {
        "name": "石凤英",
        "id_number": make("420281", date(1956, 8, 19), 62),
        "relation": "applicant",
        "birth_date": date(1956, 8, 19),
        "labor_capacity": "none",
        "annual_income": Decimal("2400"),
        "lives_together": True,
        "shares_finances": True,
        "education_level": "",
        "disability_type": "",
        "disability_grade": None,
        "serious_illness": True,
        "imprisoned": False,
        "parents_unable": False,
    },
    {
        "name": "石小军",
        "id_number": make("420281", date(2012, 3, 5), 71),
        "relation": "grandchild",
        "birth_date": date(2012, 3, 5),
        "labor_capacity": "none",
        "annual_income": Decimal("0"),
        "lives_together": True,
        "shares_finances": True,
        "education_level": "junior_secondary",
        "disability_type": "",
        "disability_grade": None,
        "serious_illness": False,
        "imprisoned": False,
        "parents_unable": True,
    },
]
FACTS = {
    "hukou_type": "rural",
    "financial_assets": Decimal("3000"),
    "motor_vehicles": 0,
    "motor_vehicle_value": Decimal("0"),
    "houses": 1,
    "registered_business": False,
    "medical": Decimal("12000"),
    "education": Decimal("800"),
    "other": Decimal("0"),
}


def seed_online() -> str | None:
    """Once: the demo's online application; its number (None when it is there already)."""
    if OnlineApplication.objects.exists():
        return None
    village = OrgUnit.objects.select_related("parent").get(code="420281104202")  # 西畈村
    today = timezone.localdate()
    hint = evaluate_submitted(self_check_snapshot({**FACTS, "as_of": today}, MEMBERS, today)).to_json()
    photo = demo_photo("身份证（石凤英、石小军）", ["石凤英 4202811956********", "石小军 4202812012********"])
    online, _code = online_application_submit(
        submission=Submission(
            village=village,
            phone="13872001234",
            situation="本人患慢性病，常年吃药；孙子父母均已去世，由我抚养，家中没有其他收入。",
            asked=["unsure"],
            commitment_name="石凤英",
            members=MEMBERS,
            household_facts=FACTS,
            hint=hint,
            uploads=[Upload(kind="id_card", name=photo.name or "身份证.jpg", source=photo)],
        )
    )
    return online.number
