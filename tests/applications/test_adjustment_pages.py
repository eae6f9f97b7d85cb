"""The adjustment's pages, API and printed notice, by role and scope; the public list after a death."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.glossary import Role
from applications.models import Application
from applications.printing import FORMS, form_context
from daye_relief.pdf import render_pdf
from households.models import Member
from publicity.selectors import long_term_list

from ..factories import user_with_role, valid_id
from .adjust import DECIDED, enroll, family, member, open_change, to_decision
from .test_pages import ROLES

pytestmark = pytest.mark.django_db

D = Decimal


def enrolled_family(world):
    """A working-age head (the engine finds no 特困 for him) and an adult son; 低保 for two."""
    household = family(world)
    Member.objects.filter(household=household, relation="applicant").update(
        birth_date=date(1975, 5, 17), id_number=valid_id(date(1975, 5, 17))
    )
    son = member(household, "柯二军", "child", date(1996, 6, 6))
    enroll(world, household, "dibao", amount=D("783.00"))
    enroll(world, household, "monitoring")
    return household, son


@pytest.mark.parametrize("role", ROLES)
def test_only_the_towns_clerk_opens_an_adjustment(client, world, role):
    household, son = enrolled_family(world)
    client.force_login(world.users[role])
    url = reverse("applications:adjust", args=[household.pk])
    page = client.get(f"{url}?member={son.pk}")
    posted = client.post(
        f"{url}?member={son.pk}",
        {
            "trigger": "member_change",
            "kind": "moving_out",
            "member": son.pk,
            "happened_on": "2025-10-01",
            "evidence": "户口迁移证明",
            "note": "外出落户。",
            "opened_on": "2025-10-09",
        },
    )
    if role == "town_clerk":
        assert page.status_code == 200
        assert "办理成员变更（动态调整）· 柯二军" in page.content.decode()
        case = Application.objects.get(household=household)
        assert posted.status_code == 302
        assert posted["Location"] == reverse("applications:detail", args=[case.pk])
        assert not Member.objects.get(pk=son.pk).is_active
    else:
        assert page.status_code in (403, 404)
        assert posted.status_code in (403, 404)
        assert not Application.objects.exists()
        assert Member.objects.get(pk=son.pk).is_active


def test_a_clerk_of_another_town_cannot_open_one(client, world):
    household, _ = enrolled_family(world)
    client.force_login(user_with_role(Role.TOWN_CLERK, world.town_b, "clerk_b"))
    assert client.get(reverse("applications:adjust", args=[household.pk])).status_code == 404


def test_on_an_enrolled_household_remove_becomes_a_member_change(client, world):
    household, son = enrolled_family(world)
    client.force_login(world.users["town_clerk"])
    page = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert "办理成员变更（动态调整）" in page
    assert ">移出<" not in page
    assert "办理动态调整" in page
    removed = client.post(
        reverse("household_member_remove", args=[household.pk, son.pk]), {"reason": "迁出"}, follow=True
    )
    assert "成员减少须通过动态调整办理" in removed.content.decode()
    assert Member.objects.get(pk=son.pk).is_active
    other = client.get(reverse("households:detail", args=[world.household_a2.pk])).content.decode()
    assert ">移出<" in other
    assert "办理成员变更" not in other


@pytest.mark.parametrize("role", ["village_staff", "town_agri_officer"])
def test_a_role_that_edits_members_but_cannot_adjust_is_not_offered_the_member_change(client, world, role):
    household, son = enrolled_family(world)
    client.force_login(world.users[role])
    page = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert "柯二军" in page
    assert "办理成员变更（动态调整）" not in page  # it answers 403 to them
    assert (
        client.get(f"{reverse('applications:adjust', args=[household.pk])}?member={son.pk}").status_code
        == 403
    )


def test_the_member_change_is_not_offered_while_a_case_runs(client, world):
    household, son = enrolled_family(world)
    case = open_change(world, household, "moving_out", son)
    client.force_login(world.users["town_clerk"])
    page = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    # the running case is on the page, the offer to start another change is not
    assert case.case_number in page
    assert "办理成员变更（动态调整）" not in page


def test_the_pages_the_api_and_the_notice_show_the_decision(client, world):
    household, son = enrolled_family(world)
    case = to_decision(world, open_change(world, household, "moving_out", son, evidence="户口迁移证明"))
    client.force_login(world.users["town_clerk"])
    page = client.get(reverse("applications:detail", args=[case.pk])).content.decode()
    assert "动态调整：家庭成员变化" in page
    assert "柯二军（子女）迁出" in page
    text = re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", page))
    assert "低保783.00元/月183.00元/月减发" in text
    # An adjustment names what opened it, not an application channel ("本人申请" nobody made).
    assert "调整起因家庭成员变化（主动发现）" in text
    assert "申请渠道" not in text
    assert "本人申请" not in text
    api = client.get(f"/api/v1/applications/{case.pk}/").json()
    assert (api["kind"], api["trigger"]) == ("adjustment", "member_change")
    assert api["outcomes"] == [
        {
            "category": "dibao",
            "member": None,
            "outcome": "decrease",
            "amount_before": "783.00",
            "amount_after": "183.00",
        },
        {
            "category": "monitoring",
            "member": None,
            "outcome": "no_change",
            "amount_before": None,
            "amount_after": None,
        },
    ]
    pdf = render_pdf(FORMS["decision"].template, form_context(case, "decision"))
    import io

    from pypdf import PdfReader

    printed = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert "动态调整决定通知书" in printed
    assert "783.00183.00减发" in printed
    assert case.case_number in printed


def test_the_decision_step_shows_the_current_enrollment_beside_the_re_evaluation(client, world):
    from applications import services

    from .adjust import investigate

    household, son = enrolled_family(world)
    case = investigate(world, open_change(world, household, "moving_out", son))
    case = services.review_send(application=case, acting_user=world.users["town_clerk"])
    client.force_login(world.users["task_force"])
    page = client.get(reverse("applications:step", args=[case.pk, "decide"])).content.decode()
    text = re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", page))
    assert "现纳入情况与重新测算对比" in text
    assert "低保783.00元/月183.00元/月减发" in text
    # The step names the household's head, as the case page does, not an "applicant".
    assert f"{case.case_number}，户主{case.applicant.name}，当前阶段" in text
    assert "给予渐退期" in text


def test_the_case_page_offers_the_review_without_a_notice_unless_a_category_is_added(client, world):
    from .adjust import investigate

    household, son = enrolled_family(world)
    case = investigate(world, open_change(world, household, "moving_out", son))
    client.force_login(world.users["town_clerk"])
    page = client.get(reverse("applications:detail", args=[case.pk])).content.decode()
    assert "转集体研判（无需公示）" in page
    assert "转村(居)公示" not in page


def test_the_case_page_offers_the_notice_when_the_re_evaluation_adds_a_category(client, world):
    from .adjust import investigate

    household = family(world)
    enroll(world, household, "monitoring")
    baby = member(household, "柯小宝", "child", date(2025, 9, 1))
    case = investigate(world, open_change(world, household, "birth", baby))
    client.force_login(world.users["town_clerk"])
    page = client.get(reverse("applications:detail", args=[case.pk])).content.decode()
    assert f'class="button primary" href="/cases/{case.pk}/send_to_notice/">转村(居)公示' in page


def test_a_death_ends_the_tekun_enrollment_and_the_public_list_from_the_decision_date(client, world):
    household = world.household_a2
    person = household.members.get()
    enroll(world, household, "tekun", member=person, amount=D("780.00"))
    listed = lambda day: long_term_list(village=world.village_a2, on=day)  # noqa: E731
    assert len(listed(DECIDED)) == 1
    case = open_change(world, household, "death", person, evidence="死亡医学证明 No.88")
    case = to_decision(world, case)
    enrollment = household.enrollments.get()
    assert (enrollment.end_date, enrollment.end_reason) == (DECIDED, "death")
    assert len(listed(DECIDED - timedelta(days=1))) == 1
    assert listed(DECIDED) == []
    page = client.get(f"/public/villages/{world.village_a2.code}/?on={DECIDED.isoformat()}")
    assert "陈*河" not in page.content.decode()


def test_the_intake_wizard_points_an_enrolled_household_to_an_adjustment(client, world):
    household, _ = enrolled_family(world)
    client.force_login(world.users["town_clerk"])
    page = client.get(reverse("applications:intake_start"), {"q": "柯大山"}).content.decode()
    assert reverse("applications:adjust", args=[household.pk]) in page
    response = client.get(reverse("applications:intake", args=[household.pk]))
    assert response["Location"] == reverse("applications:adjust", args=[household.pk])


@pytest.mark.parametrize("role", ROLES)
def test_only_the_towns_clerk_sends_an_adjustment_to_the_review(client, world, role):
    from .adjust import investigate

    household, son = enrolled_family(world)
    case = investigate(world, open_change(world, household, "moving_out", son))
    client.force_login(world.users[role])
    page = client.get(reverse("applications:step", args=[case.pk, "send_to_review"]))
    api = client.post(f"/api/v1/applications/{case.pk}/transitions/send_to_review/", {}, format="json")
    case.refresh_from_db()
    if role == "town_clerk":
        assert (page.status_code, api.status_code) == (200, 200)
        assert api.json()["stage"] == "deliberating"
    else:
        assert page.status_code in (403, 404)
        assert api.status_code in (403, 404)
        assert case.stage == "investigating"


def test_a_check_result_without_a_report_number_reads_without_a_gap(client, world):
    from applications import services as case_services

    from .adjust import OPENED, staff

    household, son = enrolled_family(world)
    case = open_change(world, household, "moving_out", son)
    users = staff(world)
    case = case_services.investigation_start(
        application=case,
        team=[users["town_clerk"], users["town_agri_officer"]],
        check_requested_on=OPENED,
        started_on=OPENED,
        acting_user=users["town_clerk"],
    )
    case_services.investigation_record_check(
        application=case,
        reference="",
        result="核对无异常。",
        result_on=OPENED,
        acting_user=users["town_clerk"],
    )
    client.force_login(users["town_clerk"])
    page = client.get(reverse("applications:detail", args=[case.pk])).content.decode()
    assert f"核对无异常。（{OPENED:%Y-%m-%d}）" in page


def test_two_members_of_one_name_are_told_apart_and_the_notice_goes_to_the_applicant(client, world):
    """Issue 23.2: the applicant and her mother-in-law are both 李冬梅. The member list offers each with
    relation and masked ID; the death notice is addressed to the applicant and names the one who died by
    her relation."""
    household = family(world)
    applicant = household.members.get(relation="applicant")
    Member.objects.filter(pk=applicant.pk).update(name="李冬梅", sex="female")
    elder = member(household, "李冬梅", "parent", date(1940, 3, 3), sex="female")
    enroll(world, household, "dibao", amount=D("783.00"))
    client.force_login(world.users["town_clerk"])
    page = client.get(reverse("applications:adjust", args=[household.pk])).content.decode()
    applicant.refresh_from_db()
    assert f"李冬梅（申请人，{applicant.masked_id_number}）" in page
    assert f"李冬梅（父母，{elder.masked_id_number}）" in page
    assert applicant.id_number not in page
    case = to_decision(world, open_change(world, household, "death", elder, evidence="死亡医学证明"))
    assert case.applicant_id == applicant.pk
    pdf = render_pdf(FORMS["decision"].template, form_context(case, "decision"))
    import io

    from pypdf import PdfReader

    printed = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert printed.count("李冬梅（身份证号码") == 1  # the addressee: the applicant, with her ID
    assert (
        f"李冬梅（身份证号码{applicant.id_number}" in printed
        or f"李冬梅（身份证号码{applicant.masked_id_number}" in printed
    )
    assert "你（户）因父母李冬梅死亡" in printed
