"""The notice: dated today, its window, objections only while it is open, an objection taking the case off
the notice and back to investigation, drafts edited and deleted, permissions, history."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from applications import services as case_services
from applications.glossary import Stage
from daye_relief.errors import DomainError, InvalidInput
from eligibility.services import parameter_save
from publicity import selectors, services
from publicity.models import Notice, NoticeItem
from workdays.selectors import workday_calendar

pytestmark = pytest.mark.django_db


def post(world, cases):
    notice = services.notice_create(
        village=world.village_a1, applications=cases, acting_user=world.users["village_staff"]
    )
    return services.notice_post(notice=notice, acting_user=world.users["village_staff"])


def days_pass(notice, days):
    """As if the notice had been posted `days` days earlier (the services date everything today)."""
    Notice.objects.filter(pk=notice.pk).update(
        posted_on=notice.posted_on - timedelta(days=days), closes_on=notice.closes_on - timedelta(days=days)
    )
    notice.refresh_from_db()
    return notice


def object_to(world, item, content="反映其子女在城里有商品房。", received_on=None):
    return services.objection_record(
        item=item,
        received_on=received_on or timezone.localdate(),
        objector="",
        channel="phone",
        content=content,
        acting_user=world.users["village_staff"],
    )


def test_a_notice_is_posted_today_and_closes_today_once_its_window_has_run(world, sent):
    today = timezone.localdate()
    notice = post(world, list(sent))
    assert (notice.posted_on, notice.closes_on) == (today, today + timedelta(days=5))
    assert (notice.window_days, notice.window_working_days) == (5, False)
    assert notice.contact == world.town_a.contact_phone
    days_pass(notice, 4)
    with pytest.raises(services.NoticeWindowOpen) as excinfo:
        services.notice_close(notice=notice, acting_user=world.users["village_staff"])
    assert excinfo.value.code == "notice_window_open"
    assert str(excinfo.value) == f"公示期未满：{today + timedelta(days=1)} 起方可结束公示，不能提前结束。"
    assert all(c.stage == Stage.PUBLICIZING for c in (a.__class__.objects.get(pk=a.pk) for a in sent))
    days_pass(notice, 1)  # the window's last day: it may close, dated today
    services.notice_close(notice=notice, acting_user=world.users["village_staff"])
    notice.refresh_from_db()
    assert notice.closed_on == today
    for application in sent:
        application.refresh_from_db()
        assert application.stage == Stage.DELIBERATING
        assert application.notice_closed_on == today
        assert application.review_due == workday_calendar().add(today, 3).date


def test_the_page_offers_no_date_to_backdate_a_posting_or_a_closing(client, world, sent):
    """A date sent with the button is ignored: the posting is today's, the early closing refused."""
    notice = services.notice_create(
        village=world.village_a1, applications=list(sent), acting_user=world.users["village_staff"]
    )
    client.force_login(world.users["village_staff"])
    page = client.get(reverse("publicity:notice", args=[notice.pk])).content.decode()
    assert 'type="date"' not in page
    assert "date-entry" not in page  # nor a typed date box
    assert "今天张贴公示" in page
    client.post(reverse("publicity:notice_post", args=[notice.pk]), {"posted_on": "2026-01-02"})
    notice.refresh_from_db()
    assert notice.posted_on == timezone.localdate()
    response = client.post(
        reverse("publicity:notice_close", args=[notice.pk]), {"closed_on": "2099-01-01"}, follow=True
    )
    assert "公示期未满" in response.content.decode()
    notice.refresh_from_db()
    assert notice.status == "posted"


def test_working_day_window_skips_the_national_day_holiday(world):
    parameter_save(
        code="notice_working_days",
        region_code="420281",
        valid_from=date(2026, 1, 1),
        valid_to=None,
        value=Decimal(1),
        source="市民政局通知",
        close_previous=True,
    )
    # 8, 9 and Saturday 10 October (a swapped working day), 12 and 13 October.
    assert services.notice_window(village=world.village_a1, posted_on=date(2026, 9, 30)) == (
        5,
        True,
        date(2026, 10, 13),
        False,
    )


def test_objections_only_while_the_window_is_open(world, sent):
    notice = post(world, list(sent))
    first, second = notice.items.order_by("pk")
    with pytest.raises(InvalidInput) as excinfo:  # received before the posting
        object_to(world, first, received_on=notice.posted_on - timedelta(days=1))
    assert excinfo.value.errors["received_on"][0].startswith("受理日期应在公示张贴日期")
    with pytest.raises(InvalidInput):  # "received" in the future
        object_to(world, first, received_on=timezone.localdate() + timedelta(days=1))
    days_pass(notice, 6)  # the window ran out yesterday; the notice is not closed yet
    with pytest.raises(services.NoticeWindowClosed) as excinfo:
        object_to(world, second, received_on=notice.closes_on)
    assert excinfo.value.code == "notice_window_closed"
    assert "只在公示期内受理异议" in str(excinfo.value)
    assert not NoticeItem.objects.filter(outcome="objected").exists()


def test_an_objection_takes_the_case_off_the_notice_and_back_to_investigation(world, sent, client):
    first, second = sent
    notice = post(world, [first, second])
    item = notice.items.get(application=first)
    object_to(world, item)
    first.refresh_from_db()
    assert first.stage == Stage.INVESTIGATING
    assert first.events.last().note == "公示期间有异议：反映其子女在城里有商品房。"
    # A new investigation due date: 5 working days from the return.
    due = workday_calendar().add(timezone.localdate(), 5)
    assert (first.investigation_due, first.investigation_due_provisional) == (due.date, due.provisional)
    # At once: the public notice lists only the other case.
    page = client.get(f"/public/notices/{notice.pk}/").content.decode()
    assert "柯*山" not in page
    assert "柯*妹" in page
    # A second objection to the same case is refused: it is no longer on the notice.
    with pytest.raises(services.ItemLeftNotice):
        object_to(world, item, content="又一条")
    days_pass(notice, 5)
    services.notice_close(notice=notice, acting_user=world.users["village_staff"])
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.stage, second.stage) == (Stage.INVESTIGATING, Stage.DELIBERATING)
    assert list(notice.items.order_by("pk").values_list("outcome", flat=True)) == ["objected", "no_objection"]
    objection = item.objections.get()
    services.objection_answer(
        objection=objection,
        answer="经核实该房产登记在已分户子女名下，不影响认定。",
        acting_user=world.users["town_clerk"],
    )
    objection.refresh_from_db()
    assert objection.answered_on == timezone.localdate()
    # Re-investigated, sent again, and a new notice runs its full window.
    case_services.investigation_complete(
        application=first,
        methods=["home_visit", "letters"],
        video_reason="",
        findings="复核属实。",
        completed_on=timezone.localdate(),
        acting_user=world.users["town_clerk"],
    )
    case_services.notice_send(application=first, acting_user=world.users["town_clerk"])
    again = days_pass(post(world, [first]), 5)
    services.notice_close(notice=again, acting_user=world.users["village_staff"])
    first.refresh_from_db()
    assert first.stage == Stage.DELIBERATING
    assert Notice.objects.filter(items__application=first).count() == 2


def test_the_case_page_and_the_reinvestigation_form_show_the_objection_and_its_answer(client, world, sent):
    first, _ = sent
    notice = post(world, list(sent))
    objection = object_to(world, notice.items.get(application=first), content="反映申请人家有一辆小轿车。")
    client.force_login(world.users["town_clerk"])
    case_page = reverse("applications:detail", args=[first.pk])
    page = client.get(case_page).content.decode()
    assert "公示异议（1）" in page
    assert "反映申请人家有一辆小轿车。" in page
    assert "匿名" in page
    assert "记录答复" in page
    # The clerk answers from the case page and comes back to it.
    response = client.post(
        reverse("publicity:objection_answer", args=[objection.pk]),
        {"answer": "经核实车辆已于去年转让。", "next": case_page},
    )
    assert response.status_code == 302
    assert response["Location"] == case_page
    page = client.get(case_page).content.decode()
    assert "经核实车辆已于去年转让。" in page
    form = client.get(
        reverse("applications:step", args=[first.pk, "complete_investigation"])
    ).content.decode()
    assert "反映申请人家有一辆小轿车。" in form
    assert "经核实车辆已于去年转让。" in form


def test_a_case_returned_from_its_page_does_not_hold_up_the_notice(world, sent, client):
    first, second = sent
    notice = post(world, [first, second])
    case_services.reinvestigation_return(
        application=first, reason="镇里发现新的收入线索。", acting_user=world.users["town_clerk"]
    )
    assert "柯*山" not in client.get(f"/public/notices/{notice.pk}/").content.decode()
    # It waits for a new notice once it is sent again, even while the old one is still posted.
    case_services.investigation_complete(
        application=first,
        methods=["home_visit"],
        video_reason="",
        findings="复核。",
        completed_on=timezone.localdate(),
        acting_user=world.users["town_clerk"],
    )
    case_services.notice_send(application=first, acting_user=world.users["town_clerk"])
    assert list(selectors.awaiting_notice(village=world.village_a1)) == [first]
    days_pass(notice, 5)
    services.notice_close(notice=notice, acting_user=world.users["village_staff"])
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.stage, second.stage) == (Stage.PUBLICIZING, Stage.DELIBERATING)
    assert list(notice.items.order_by("pk").values_list("outcome", flat=True)) == ["left", "no_objection"]
    again = days_pass(post(world, [first]), 5)
    services.notice_close(notice=again, acting_user=world.users["village_staff"])
    first.refresh_from_db()
    assert first.stage == Stage.DELIBERATING


def test_a_closed_notice_can_no_longer_be_changed(world, sent):
    notice = days_pass(post(world, list(sent)), 5)
    services.notice_close(notice=notice, acting_user=world.users["village_staff"])
    with pytest.raises(services.NoticeLocked) as excinfo:
        object_to(world, notice.items.first(), content="迟到的异议")
    assert "该公示当前为“已结束”，不能进行此操作。" in str(excinfo.value)
    assert excinfo.value.code == "notice_locked"
    with pytest.raises(services.NoticeLocked):
        services.notice_post(notice=notice, acting_user=world.users["village_staff"])
    with pytest.raises(services.NoticeLocked):
        services.notice_delete(notice=notice, acting_user=world.users["village_staff"])
    assert notice.history.count() >= 3  # created, posted, closed


def test_a_draft_is_edited_and_deleted_and_its_cases_wait_again(client, world, sent):
    first, second = sent
    client.force_login(world.users["village_staff"])
    draft = services.notice_create(
        village=world.village_a1, applications=[first], acting_user=world.users["village_staff"]
    )
    page = client.get(reverse("publicity:notice", args=[draft.pk])).content.decode()
    assert "东湖村困难群众救助帮扶对象公示（待张贴）" in page
    assert "待张贴" in page
    assert "公示中" not in page
    assert f"异议受理电话</dt><dd>{world.town_a.contact_phone}" in page
    edit = reverse("publicity:notice_edit", args=[draft.pk])
    assert f"{second.case_number}" in client.get(edit).content.decode()
    response = client.post(edit, {"applications": [first.pk, second.pk]})
    assert response.status_code == 302
    assert set(draft.items.values_list("application_id", flat=True)) == {first.pk, second.pk}
    assert list(selectors.awaiting_notice(village=world.village_a1)) == []
    client.post(edit, {"applications": [second.pk]})
    assert list(draft.items.values_list("application_id", flat=True)) == [second.pk]
    response = client.post(reverse("publicity:notice_delete", args=[draft.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("publicity:board")
    assert not Notice.objects.filter(pk=draft.pk).exists()
    assert list(selectors.awaiting_notice(village=world.village_a1)) == [first, second]
    # A posted notice is neither edited nor deleted.
    notice = post(world, [first])
    client.post(reverse("publicity:notice_delete", args=[notice.pk]))
    assert Notice.objects.filter(pk=notice.pk).exists()
    assert client.get(reverse("publicity:notice_edit", args=[notice.pk])).status_code == 302


def test_the_title_is_composed_and_the_committee_named_once(world, sent):
    notice = post(world, list(sent))
    today = timezone.localdate()
    assert notice.title == f"东湖村困难群众救助帮扶对象公示（{today.year}年{today.month}月{today.day}日）"
    assert selectors.committee_name(world.village_a1) == "东湖村村民委员会"
    world.village_a1.name = "湖滨社区"
    assert selectors.committee_name(world.village_a1) == "湖滨社区居民委员会"


def test_a_case_is_in_one_open_notice_and_only_its_own_village(world, sent):
    first, _ = sent
    post(world, [first])
    with pytest.raises(InvalidInput) as excinfo:
        services.notice_create(
            village=world.village_a1, applications=[first], acting_user=world.users["village_staff"]
        )
    assert excinfo.value.errors["applications"] == [f"{first.case_number} 已在另一份公示中。"]
    with pytest.raises(InvalidInput) as excinfo:
        services.notice_create(
            village=world.village_a2, applications=[first], acting_user=world.users["village_staff"]
        )
    assert excinfo.value.errors["applications"] == [f"{first.case_number} 不属于西畈村。"]


def test_free_text_has_a_maximum_length(client, world, sent):
    notice = post(world, list(sent))
    item = notice.items.first()
    with pytest.raises(InvalidInput) as excinfo:
        object_to(world, item, content="车" * 501)
    assert excinfo.value.errors["content"] == ["反映内容最多 500 个字，现有 501 个字。"]
    client.force_login(world.users["village_staff"])
    response = client.post(
        reverse("publicity:objection_create", args=[item.pk]),
        {"received_on": timezone.localdate().isoformat(), "channel": "phone", "content": "车" * 501},
    )
    assert response.status_code == 200
    assert "最多 500 个字" in response.content.decode()
    objection = object_to(world, item)
    with pytest.raises(InvalidInput):
        services.objection_answer(
            objection=objection, answer="答" * 501, acting_user=world.users["town_clerk"]
        )


def test_errors_are_domain_errors_with_codes():
    assert issubclass(services.NoticeLocked, DomainError)
    assert issubclass(services.NoticeWindowClosed, DomainError)
    assert issubclass(services.NoticeWindowOpen, DomainError)
    assert issubclass(services.ItemLeftNotice, DomainError)


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
    # Whoever may not read the notice is told it does not exist.
    assert client.get(reverse("publicity:notice_edit", args=[notice.pk])).status_code == (
        404 if post_ == 404 else create
    )
    response = client.post(reverse("publicity:notice_post", args=[notice.pk]))
    assert response.status_code == post_
    notice.refresh_from_db()
    assert (notice.status == "posted") == (post_ == 302)
    if notice.status != "posted":
        services.notice_post(notice=notice, acting_user=world.users["village_staff"])
    item = notice.items.first()
    assert client.get(reverse("publicity:objection_create", args=[item.pk])).status_code == object_
    assert client.get(reverse("publicity:notice_print", args=[notice.pk])).status_code == (
        404 if post_ == 404 else 200
    )


def test_another_villages_staff_cannot_touch_the_notice(client, world, sent):
    from accounts.glossary import Role

    from ..factories import user_with_role

    notice = post(world, list(sent))
    outsider = user_with_role(Role.VILLAGE_STAFF, world.village_a2, "village_a2")
    client.force_login(outsider)
    assert client.get(reverse("publicity:notice", args=[notice.pk])).status_code == 404
    assert client.post(reverse("publicity:notice_close", args=[notice.pk])).status_code == 404
    assert client.get(reverse("publicity:notice_print", args=[notice.pk])).status_code == 404
    assert client.get(reverse("publicity:notice_create", args=[world.village_a1.pk])).status_code == 403
    notice.refresh_from_db()
    assert notice.status == "posted"


def test_the_api_takes_objections_only_while_the_window_is_open(client, world, sent):
    notice = post(world, list(sent))
    first, second = notice.items.order_by("pk")
    url = f"/api/v1/notices/{notice.pk}/objections/"
    today = timezone.localdate().isoformat()
    client.force_login(world.users["village_staff"])
    listed = client.get("/api/v1/notices/").json()["results"]
    assert [n["title"] for n in listed] == [notice.title]
    body = {"item": first.pk, "received_on": today, "channel": "phone", "content": "反映有车。"}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["content"] == "反映有车。"
    # The case left the notice: a second objection to it is a conflict, with a code.
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["code"] == "notice_item_left"
    response = client.post(url, body | {"item": second.pk, "content": ""}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] == "content"
    days_pass(notice, 6)
    response = client.post(url, body | {"item": second.pk}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "notice_window_closed"
    assert "只在公示期内受理异议" in response.json()["message"]
    # Out of scope: another village's staff are told the notice does not exist.
    from accounts.glossary import Role

    from ..factories import user_with_role

    client.force_login(user_with_role(Role.VILLAGE_STAFF, world.village_a2, "village_a2"))
    assert client.post(url, body, content_type="application/json").status_code == 404
    client.force_login(world.users["task_force"])
    assert client.post(url, body, content_type="application/json").status_code == 403
