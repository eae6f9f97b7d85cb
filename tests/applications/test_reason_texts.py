"""The engine's reasons reach the family in plain sentences (issue 8 point 6): the review form proposes
the family's text per category and member (found by member ref, not by a name in the text), the case
page shows it, and the printed decision notice carries it under 未予纳入."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from applications.forms import DecideForm, category_proposals
from applications.glossary import Stage

from .cases import accept, advance, staff

pytestmark = pytest.mark.django_db
SYMBOLS = re.compile(r"[<>≤≥‹✘]")


def _deliberating(world):
    return advance(world, accept(world), Stage.DELIBERATING)


def _family_text(application, rule, member=None):
    return next(
        r["family_text"]
        for r in application.assessment.result["reasons"]
        if r["rule"] == rule and r["member"] == member
    )


def test_review_form_proposes_the_family_text_per_category_and_member(world):
    application = _deliberating(world)
    applicant = application.household.members.get(relation="applicant")
    rows = {row["key"]: row for row in category_proposals(application)}
    assert rows["dibao"]["detail"] == _family_text(application, "dibao")
    assert rows["dibao"]["detail"].startswith("家庭人均月收入 416.67 元，低于低保标准 600.00 元")
    tekun = rows[f"tekun_{applicant.pk}"]
    assert tekun["label"] == f"特困（{applicant.name}）"
    assert tekun["detail"] == _family_text(application, "tekun", str(applicant.pk))
    form = DecideForm(application=application, proposals=list(rows.values()))
    for key in rows:
        assert not SYMBOLS.search(form.fields[f"reason_{key}"].initial)


def test_case_page_shows_the_family_text_with_the_member_name(client, world):
    application = _deliberating(world)
    applicant = application.household.members.get(relation="applicant")
    client.force_login(world.users["town_clerk"])
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert _family_text(application, "dibao") in page
    assert f"{applicant.name}：{_family_text(application, 'tekun', str(applicant.pk))}" in page


def test_decision_notice_prints_plain_reasons_for_what_was_not_granted(client, world):
    application = _deliberating(world)
    users = staff(world)
    client.force_login(users["task_force"])
    proposals = category_proposals(application)
    data = {
        "held_on": application.accepted_on.isoformat(),
        "attendees": [users["task_force"].pk, users["task_force_2"].pk, users["task_force_3"].pk],
        "reason": "同意纳入。",
    }
    for row in proposals:  # the task force keeps the proposals and their texts
        data[f"decision_{row['key']}"] = "yes" if row["proposed"] else "no"
        data[f"reason_{row['key']}"] = row["detail"]
    response = client.post(reverse("applications:step", args=[application.pk, "decide"]), data)
    assert response.status_code == 302, response.content.decode()
    client.force_login(users["town_clerk"])
    pdf = client.get(reverse("applications:print", args=[application.pk, "decision"])).content
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
    refused = text[text.index("下列类别经研判未予纳入") :]
    marginal = re.sub(r"\s+", "", _family_text(application, "marginal"))
    assert marginal in refused
    assert marginal.startswith("家庭人均月收入416.67元，低于低保标准600.00元")
    assert not SYMBOLS.search(refused)
