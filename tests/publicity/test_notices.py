"""The notice: its window, objections through re-investigation and a second notice, permissions, history."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications import services as case_services
from applications.glossary import Stage
from eligibility.services import parameter_save
from publicity import services
from publicity.models import Notice

from ..applications.cases import accept, advance

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(world):
    """Two cases of 东湖村 the town has sent to the village for the notice."""
    first = advance(world, accept(world), Stage.PUBLICIZING)
    other = world.household_a1.__class__.objects.create(
        household_number="420281104201-0002", village=world.village_a1, address="东湖村2组"
    )
    from ..factories import MemberFactory

    MemberFactory(household=other, name="柯二妹")
    second = advance(world, accept(world, household=other), Stage.PUBLICIZING)
    return first, second


def post(world, cases, posted_on=date(2026, 11, 2)):
    notice = services.notice_create(
        village=world.village_a1, applications=cases, acting_user=world.users["village_staff"]
    )
    return services.notice_post(notice=notice, posted_on=posted_on, acting_user=world.users["village_staff"])


def test_calendar_window_cannot_close_early(world, sent):
    notice = post(world, list(sent))
    assert (notice.closes_on, notice.window_days, notice.window_working_days) == (date(2026, 11, 7), 5, False)
    assert notice.contact == world.town_a.contact_phone
    with pytest.raises(ValidationError) as excinfo:
        services.notice_close(
            notice=notice, closed_on=date(2026, 11, 6), acting_user=world.users["village_staff"]
        )
    assert excinfo.value.message_dict["closed_on"] == [
        "公示期未满：2026-11-07 起方可结束公示，不能提前结束。"
    ]
    assert all(c.stage == Stage.PUBLICIZING for c in (a.__class__.objects.get(pk=a.pk) for a in sent))
    services.notice_close(
        notice=notice, closed_on=date(2026, 11, 7), acting_user=world.users["village_staff"]
    )
    for application in sent:
        application.refresh_from_db()
        assert application.stage == Stage.DELIBERATING
        assert application.notice_closed_on == date(2026, 11, 7)
        assert application.review_due == date(2026, 11, 11)  # 3 working days after Saturday 7 November


def test_working_day_window_skips_the_national_day_holiday(world, sent):
    parameter_save(
        code="notice_working_days",
        region_code="420281",
        valid_from=date(2026, 1, 1),
        valid_to=None,
        value=Decimal(1),
        source="市民政局通知",
        close_previous=True,
    )
    notice = post(world, list(sent), posted_on=date(2026, 9, 30))
    # 8, 9 and Saturday 10 October (a swapped working day), 12 and 13 October.
    assert (notice.closes_on, notice.window_working_days) == (date(2026, 10, 13), True)
    with pytest.raises(ValidationError):
        services.notice_close(
            notice=notice, closed_on=date(2026, 10, 12), acting_user=world.users["village_staff"]
        )


def test_objection_loop_through_reinvestigation_and_a_second_notice(world, sent):
    first, second = sent
    notice = post(world, [first, second])
    item = notice.items.get(application=first)
    services.objection_record(
        item=item,
        received_on=date(2026, 11, 3),
        objector="",
        channel="phone",
        content="反映其子女在城里有商品房。",
        acting_user=world.users["village_staff"],
    )
    first.refresh_from_db()
    assert first.stage == Stage.INVESTIGATING
    assert first.events.last().note == "公示期间有异议：反映其子女在城里有商品房。"
    services.notice_close(
        notice=notice, closed_on=date(2026, 11, 9), acting_user=world.users["village_staff"]
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.stage, second.stage) == (Stage.INVESTIGATING, Stage.DELIBERATING)
    assert list(notice.items.order_by("pk").values_list("outcome", flat=True)) == ["objected", "no_objection"]
    objection = item.objections.get()
    services.objection_answer(
        objection=objection,
        answer="经核实该房产登记在已分户子女名下，不影响认定。",
        answered_on=date(2026, 11, 10),
        acting_user=world.users["town_clerk"],
    )
    # Re-investigated, sent again, and a new notice runs its full window.
    case_services.investigation_complete(
        application=first,
        methods=["home_visit", "letters"],
        video_reason="",
        findings="复核属实。",
        completed_on=date(2026, 11, 10),
        acting_user=world.users["town_clerk"],
    )
    case_services.notice_send(application=first, acting_user=world.users["town_clerk"])
    again = post(world, [first], posted_on=date(2026, 11, 11))
    services.notice_close(
        notice=again, closed_on=date(2026, 11, 16), acting_user=world.users["village_staff"]
    )
    first.refresh_from_db()
    assert first.stage == Stage.DELIBERATING
    assert Notice.objects.filter(items__application=first).count() == 2


def test_a_closed_notice_can_no_longer_be_changed(world, sent):
    notice = post(world, list(sent))
    services.notice_close(
        notice=notice, closed_on=date(2026, 11, 7), acting_user=world.users["village_staff"]
    )
    with pytest.raises(services.NoticeLocked) as excinfo:
        services.objection_record(
            item=notice.items.first(),
            received_on=date(2026, 11, 8),
            objector="",
            channel="phone",
            content="迟到的异议",
            acting_user=world.users["village_staff"],
        )
    assert "该公示当前为“已结束”，不能进行此操作。" in str(excinfo.value)
    with pytest.raises(services.NoticeLocked):
        services.notice_post(
            notice=notice, posted_on=date(2026, 11, 9), acting_user=world.users["village_staff"]
        )
    assert notice.history.count() >= 3  # created, posted, closed


def test_a_case_is_in_one_open_notice_and_only_its_own_village(world, sent):
    first, _ = sent
    post(world, [first])
    with pytest.raises(ValidationError) as excinfo:
        services.notice_create(
            village=world.village_a1, applications=[first], acting_user=world.users["village_staff"]
        )
    assert excinfo.value.message_dict["applications"] == [f"{first.case_number} 已在另一份公示中。"]
    with pytest.raises(ValidationError) as excinfo:
        services.notice_create(
            village=world.village_a2, applications=[first], acting_user=world.users["village_staff"]
        )
    assert excinfo.value.message_dict["applications"] == [f"{first.case_number} 不属于西畈村。"]


@pytest.mark.parametrize(
    ("role", "create", "post_", "object_"),
    [
        ("village_staff", 200, 302, 200),
        ("town_clerk", 403, 403, 200),
        ("task_force", 403, 403, 403),
        ("civil_affairs_reviewer", 403, 403, 403),
        ("department_user", 403, 404, 404),
    ],
)
def test_permissions_by_role(client, world, sent, role, create, post_, object_):
    notice = services.notice_create(
        village=world.village_a1, applications=list(sent), acting_user=world.users["village_staff"]
    )
    client.force_login(world.users[role])
    assert client.get(reverse("publicity:notice_create", args=[world.village_a1.pk])).status_code == create
    response = client.post(reverse("publicity:notice_post", args=[notice.pk]), {"posted_on": "2026-11-02"})
    assert response.status_code == post_
    notice.refresh_from_db()
    assert (notice.status == "posted") == (post_ == 302)
    if notice.status != "posted":
        services.notice_post(
            notice=notice, posted_on=date(2026, 11, 2), acting_user=world.users["village_staff"]
        )
    item = notice.items.first()
    assert client.get(reverse("publicity:objection_create", args=[item.pk])).status_code == object_


def test_another_villages_staff_cannot_touch_the_notice(client, world, sent):
    from accounts.glossary import Role

    from ..factories import user_with_role

    notice = post(world, list(sent))
    outsider = user_with_role(Role.VILLAGE_STAFF, world.village_a2, "village_a2")
    client.force_login(outsider)
    assert client.get(reverse("publicity:notice", args=[notice.pk])).status_code == 404
    assert (
        client.post(
            reverse("publicity:notice_close", args=[notice.pk]), {"closed_on": "2026-11-09"}
        ).status_code
        == 404
    )
    assert client.get(reverse("publicity:notice_create", args=[world.village_a1.pk])).status_code == 403
    notice.refresh_from_db()
    assert notice.status == "posted"
