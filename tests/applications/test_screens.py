"""The clerk's screens (issue 8, points 19 and 20): intake search names the family, the workbench's stage
tiles filter, the highlighted button is the next step and done steps are not offered again, bureau
reviewers print the filing sheet they sign; and the case side's check on removing a member (point 25)."""

import pytest
from django.urls import reverse

from applications import services
from applications.glossary import Stage
from daye_relief.errors import DomainError

from .cases import accept, advance, receive

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("role", "full"), [("town_clerk", True), ("village_staff", False)])
def test_intake_search_names_the_family_masked_as_the_role_requires(client, world, role, full):
    member = world.household_a1.members.get()
    client.force_login(world.users[role])
    page = client.get(reverse("applications:intake_start"), {"q": world.household_a1.household_number})
    text = page.content.decode()
    assert "柯大山" in text
    assert (member.id_number in text) is full
    assert member.masked_id_number in text or full


def test_intake_search_says_when_nothing_matched(client, world):
    client.force_login(world.users["town_clerk"])
    text = client.get(reverse("applications:intake_start"), {"q": "无此人"}).content.decode()
    assert "没有找到与“无此人”匹配的家庭。" in text


def test_the_stage_tiles_filter_the_list(client, world):
    investigating = advance(world, accept(world), Stage.INVESTIGATING)
    accepted = accept(world, household=world.household_a2)
    client.force_login(world.users["town_clerk"])
    page = client.get(reverse("applications:workbench"), {"stage": "investigating"}).content.decode()
    assert 'href="?stage=investigating" aria-current="true"' in page
    assert "调查阶段的案件" in page
    assert investigating.case_number in page
    assert accepted.case_number not in page
    everything = client.get(reverse("applications:workbench")).content.decode()
    assert investigating.case_number in everything
    assert accepted.case_number in everything


def _buttons(client, application):
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    return page.split('<div class="actionbar">', 1)[1].split("</div>", 1)[0] if "actionbar" in page else ""


def test_the_highlighted_button_is_the_next_step_and_done_steps_are_not_offered_again(client, world):
    application = advance(world, accept(world), Stage.INVESTIGATING)
    client.force_login(world.users["town_clerk"])
    bar = _buttons(client, application)
    assert bar.startswith('<a class="button primary"')
    assert "登记核对结果" in bar.split("</a>")[0]
    services.investigation_record_check(
        application=application,
        reference="HC-1",
        result="无异常",
        result_on=application.accepted_on,
        acting_user=world.users["town_clerk"],
    )
    # The signed commitment is not in the case file yet: no step to take, and the page says why.
    bar = _buttons(client, application)
    assert "登记核对结果" not in bar
    assert "完成调查" not in bar
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "暂不能“完成调查”：请先在“案件材料”中上传申请人签字的真实性书面承诺书" in page
    receive(application, "commitment_signed", acting_user=world.users["town_clerk"])
    bar = _buttons(client, application)
    assert "完成调查" in bar.split("</a>")[0]
    assert "primary" in bar.split("</a>")[0]
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "暂不能" not in page
    services.investigation_complete(
        application=application,
        methods=["home_visit"],
        video_reason="",
        findings="属实",
        completed_on=application.accepted_on,
        acting_user=world.users["town_clerk"],
    )
    bar = _buttons(client, application)
    assert "完成调查" not in bar
    assert "转村(居)公示" in bar.split("</a>")[0]
    assert "primary" in bar.split("</a>")[0]
    # Side steps are never the highlighted one.
    assert '<a class="button primary"' not in bar.split("转村(居)公示")[1]


def test_bureau_reviewers_print_the_filing_sheet_of_their_bureau_only(client, world):
    filed = advance(world, accept(world), Stage.FILED)
    client.force_login(world.users["civil_affairs_reviewer"])
    queue = client.get(reverse("applications:filings", args=["civil_affairs"])).content.decode()
    url = reverse("applications:print", kwargs={"pk": filed.pk, "form": "filing"})
    assert url in queue
    assert url in client.get(reverse("applications:detail", args=[filed.pk])).content.decode()
    response = client.get(url)
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    # Other forms are the town's; a case not filed with the bureau is not its to print.
    assert (
        client.get(reverse("applications:print", kwargs={"pk": filed.pk, "form": "review"})).status_code
        == 403
    )
    rejected = advance(world, accept(world, household=world.household_a2), Stage.APPROVED)  # not filed yet
    client.force_login(world.users["agri_bureau_reviewer"])
    other = reverse("applications:print", kwargs={"pk": rejected.pk, "form": "filing"})
    assert client.get(other).status_code in (403, 404)
    assert client.get(url).status_code == 200  # the monitoring mark was filed with the agriculture bureau


def test_removing_the_applicant_of_a_running_case_is_refused_on_the_case_side(world):
    application = accept(world)
    with pytest.raises(DomainError) as excinfo:
        services.household_member_remove(
            member=application.applicant, reason="迁出", acting_user=world.users["town_clerk"]
        )
    assert excinfo.value.code == "applicant_of_open_case"
    assert application.case_number in excinfo.value.message


def test_removing_a_member_outside_a_request_names_the_acting_person_in_history(world):
    """A removal by a service call (a task, a command) still records who did it and why."""
    from tests.factories import MemberFactory

    clerk = world.users["town_clerk"]
    member = MemberFactory(household=world.household_a1, name="柯小河", relation="child")
    services.household_member_remove(member=member, reason="户籍迁出", acting_user=clerk)

    last = member.history.order_by("-history_date").first()
    assert last.is_active is False
    assert last.history_user == clerk
    assert last.history_change_reason == "户籍迁出"


def test_the_household_page_lists_its_cases_in_the_viewers_scope(client, world):
    """The family's page shows its cases (a section the case side registers on it), and another town's
    clerk reaches neither the page nor its cases."""
    application = accept(world)
    client.force_login(world.users["town_clerk"])
    page = client.get(reverse("households:detail", kwargs={"pk": world.household_a1.pk})).content.decode()
    assert "救助帮扶案件" in page
    assert application.case_number in page
    assert reverse("applications:detail", kwargs={"pk": application.pk}) in page

    other = client.get(reverse("households:detail", kwargs={"pk": world.household_a2.pk})).content.decode()
    assert application.case_number not in other
