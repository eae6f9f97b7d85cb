"""Special assistance (DESIGN §3.8, issue 9 point 8): hand entry and import-made records on the household
page by year, the import hook's idempotence, each member's medical-assistance ratio, temporary assistance
and its later explanation, and who may see and enter what."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from daye_relief.errors import DomainError, InvalidTransition
from households.models import AssistanceRecord, Enrollment
from households.selectors.assistance import temporary_assistance_unexplained
from households.services.assistance import (
    assistance_record_create,
    temporary_assistance_explain,
    temporary_assistance_grant,
)
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def page_of(client: Any, user: Any, household: Any) -> Any:
    client.force_login(user)
    return client.get(reverse("households:detail", args=[household.pk]))


# Hand entry and the page by year --------------------------------------------------------------------


def test_hand_entry_shows_on_the_household_page_grouped_by_year(client: Any, world: Any) -> None:
    clerk = world.users["town_clerk"]
    household = world.household_a1
    member = household.members.get()
    client.force_login(clerk)
    answer = client.post(
        reverse("households:assistance_create", args=[household.pk]),
        {
            "member": member.pk,
            "kind": "housing",
            "received_on": "2025-06-01",
            "amount": "3000",
            "note": "危房改造",
        },
    )
    assert answer.status_code == 302
    assistance_record_create(
        household=household,
        member=member,
        kind="legal_aid",
        received_on=date(2026, 3, 2),
        amount=None,
        note="劳动争议代理",
        acting_user=clerk,
    )
    assistance_record_create(
        household=household,
        member=member,
        kind="education",
        received_on=date(2026, 9, 1),
        amount=Decimal("1250.50"),
        acting_user=clerk,
    )
    page = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert "救助帮扶与医疗救助比例" in page
    assert "2026年 · 合计 1250.50 元" in page
    assert "2025年 · 合计 3000.00 元" in page
    assert page.index("2026年") < page.index("2025年")
    assert "住房救助" in page
    assert "危房改造" in page
    assert "法律援助" in page
    assert "实物/服务" in page
    assert "劳动争议代理" in page
    record = AssistanceRecord.objects.get(kind="housing")
    assert (record.source, record.recorded_by, record.amount) == ("manual", clerk, Decimal("3000.00"))
    assert record.history.get().history_user == clerk


def test_hand_entry_refuses_a_future_date_a_foreign_member_and_temporary_without_reason(world: Any) -> None:
    clerk = world.users["town_clerk"]
    household = world.household_a1
    with pytest.raises(DomainError) as refused:
        assistance_record_create(
            household=household,
            member=household.members.get(),
            kind="medical",
            received_on=timezone.localdate() + timedelta(days=1),
            amount=Decimal(1),
            acting_user=clerk,
        )
    assert refused.value.field == "received_on"
    with pytest.raises(DomainError) as refused:
        assistance_record_create(
            household=household,
            member=world.household_a2.members.get(),
            kind="medical",
            received_on=date(2026, 1, 1),
            amount=Decimal(1),
            acting_user=clerk,
        )
    assert refused.value.code == "member_not_in_household"
    with pytest.raises(DomainError) as refused:
        assistance_record_create(
            household=household,
            member=household.members.get(),
            kind="temporary",
            received_on=date(2026, 1, 1),
            amount=Decimal(100),
            acting_user=clerk,
        )
    assert refused.value.code == "temporary_has_own_form"


# The medical-assistance ratio per member ------------------------------------------------------------


RATIO_CASES = [
    # (household categories, the member's own category, serious illness, ratio shown)
    ((), None, False, None),
    (("monitoring",), None, False, "60%（防返贫监测）"),
    (("marginal",), None, False, "60%（低保边缘）"),
    (("dibao",), None, False, "70%（低保）"),
    (("dibao", "monitoring"), None, False, "70%（低保）"),
    (("marginal",), "dibao_single", False, "70%（低保）"),
    (("dibao",), "tekun", False, "100%（特困）"),
    (("rigid_expense",), None, True, "50%（因病致贫重病患者）"),
    (("rigid_expense",), None, False, None),
]


@pytest.mark.parametrize(("categories", "own", "ill", "shown"), RATIO_CASES)
def test_each_member_shows_the_most_favorable_ratio(
    client: Any, world: Any, categories: tuple[str, ...], own: str | None, ill: bool, shown: str | None
) -> None:
    household = world.household_a1
    member = household.members.get()
    other = MemberFactory(household=household, name="柯小树", relation="child")
    member.serious_illness = ill
    member.save()
    for category in categories:
        Enrollment.objects.create(household=household, category=category, start_date=date(2025, 1, 1))
    if own:
        Enrollment.objects.create(
            household=household, member=member, category=own, start_date=date(2025, 1, 1)
        )
    page = page_of(client, world.users["town_clerk"], household).content.decode()
    section = page[page.index('id="assistance"') :]
    mine = section[section.index(member.name) : section.index(other.name)]
    if shown is None:
        assert '医疗救助比例：<span class="muted">不适用</span>' in mine
    else:
        assert f'<strong class="ratio">{shown.split("（")[0]}</strong>（{shown.split("（")[1]}' in mine
    # The child holds no member-level category: only the household's (or nothing).
    theirs = section[section.index(other.name) :]
    if own == "tekun":
        assert "70%</strong>（低保）" in theirs


# Temporary assistance and its later explanation -----------------------------------------------------


def test_temporary_assistance_then_its_explanation(client: Any, world: Any) -> None:
    clerk = world.users["town_clerk"]
    household = world.household_a1
    member = household.members.get()
    client.force_login(clerk)
    answer = client.post(
        reverse("households:temporary_create", args=[household.pk]),
        {"member": member.pk, "received_on": "2026-02-03", "amount": "800", "reason": ""},
    )
    assert "请写明救助事由。" in answer.content.decode()
    answer = client.post(
        reverse("households:temporary_create", args=[household.pk]),
        {"member": member.pk, "received_on": "2026-02-03", "amount": "800", "reason": "火灾后急需生活用品"},
    )
    assert answer.status_code == 302
    record = AssistanceRecord.objects.get(kind="temporary")
    assert record.awaits_explanation
    page = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert "事由：火灾后急需生活用品" in page
    assert "待补充说明" in page
    pending = client.get(reverse("households:temporary_pending")).content.decode()
    assert "共 1 笔尚未补充说明" in pending
    assert "火灾后急需生活用品" in pending
    assert "补充说明</a>" in pending
    assert list(temporary_assistance_unexplained(user=clerk)) == [record]
    assert list(temporary_assistance_unexplained(user=world.users["civil_affairs_reviewer"])) == [record]
    assert list(temporary_assistance_unexplained(user=world.users["village_staff"])) == [record]

    answer = client.post(
        reverse("households:temporary_explain", args=[household.pk, record.pk]),
        {"explanation": "经核实，房屋失火，已转入灾后重建。"},
    )
    assert answer.status_code == 302
    record.refresh_from_db()
    assert record.explained_on == timezone.localdate()
    assert record.history.first().history_user == clerk
    page = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert "说明：经核实，房屋失火，已转入灾后重建。" in page
    assert "待补充说明" not in page
    assert "共 0 笔尚未补充说明" in client.get(reverse("households:temporary_pending")).content.decode()
    assert not temporary_assistance_unexplained(user=clerk).exists()
    with pytest.raises(InvalidTransition):
        temporary_assistance_explain(record=record, explanation="再说一次", acting_user=clerk)


def test_temporary_assistance_needs_an_amount_and_a_reason(world: Any) -> None:
    household = world.household_a1
    for amount, reason, field in ((Decimal(0), "急需", "amount"), (Decimal(50), "  ", "reason")):
        with pytest.raises(DomainError) as refused:
            temporary_assistance_grant(
                household=household,
                member=household.members.get(),
                received_on=date(2026, 1, 1),
                amount=amount,
                reason=reason,
                acting_user=world.users["town_clerk"],
            )
        assert refused.value.field == field


# Permissions by role and scope ----------------------------------------------------------------------


def test_who_sees_and_who_enters_assistance(client: Any, world: Any) -> None:
    household = world.household_a1
    member = household.members.get()
    temporary = temporary_assistance_grant(
        household=household,
        member=member,
        received_on=date(2026, 1, 5),
        amount=Decimal(300),
        reason="就医路费",
        acting_user=world.users["town_clerk"],
    )
    create = reverse("households:assistance_create", args=[household.pk])
    explain = reverse("households:temporary_explain", args=[household.pk, temporary.pk])
    for role in ("town_clerk", "town_agri_officer"):
        client.force_login(world.users[role])
        assert client.get(create).status_code == 200
        assert client.get(explain).status_code == 200
        assert (
            "登记临时救助" in client.get(reverse("households:detail", args=[household.pk])).content.decode()
        )
    for role in ("task_force", "village_staff", "civil_affairs_reviewer", "agri_bureau_reviewer"):
        client.force_login(world.users[role])
        page = client.get(reverse("households:detail", args=[household.pk])).content.decode()
        assert "就医路费" in page
        assert "登记临时救助" not in page
        assert client.get(create).status_code == 403
        assert client.post(explain, {"explanation": "x"}).status_code == 403
    for role in ("department_user", "administrator"):
        client.force_login(world.users[role])
        assert client.get(reverse("households:detail", args=[household.pk])).status_code == 404
        assert client.get(create).status_code == 404
        assert client.get(reverse("households:assistance_list")).status_code == 403
        assert client.get(reverse("households:temporary_pending")).status_code == 403
    # Another town's clerk: not found; its list does not show this town's records.
    from accounts.glossary import Role
    from tests.factories import user_with_role

    clerk_b = user_with_role(Role.TOWN_CLERK, world.town_b, "clerk_b")
    client.force_login(clerk_b)
    assert client.get(create).status_code == 404
    assert "就医路费" not in client.get(reverse("households:temporary_pending")).content.decode()
    assert "就医路费" not in client.get(reverse("households:assistance_list")).content.decode()
    assert not temporary_assistance_unexplained(user=clerk_b).exists()
    # The public never: no public page names assistance, and the household page needs a login.
    client.logout()
    assert client.get(reverse("households:detail", args=[household.pk])).status_code == 302
    assert client.get(reverse("households:temporary_pending")).status_code == 302


def test_assistance_list_filters_and_query_count_does_not_grow(
    client: Any, world: Any, django_assert_max_num_queries: Any
) -> None:
    clerk = world.users["town_clerk"]
    household = world.household_a1
    member = household.members.get()
    for n in range(30):
        assistance_record_create(
            household=household,
            member=member,
            kind="medical" if n % 2 else "education",
            received_on=date(2026, 1, 1) + timedelta(days=n),
            amount=Decimal(n),
            acting_user=clerk,
        )
    client.force_login(clerk)
    page = client.get(reverse("households:assistance_list"), {"kind": "medical"}).content.decode()
    assert "共 15 条" in page
    with django_assert_max_num_queries(12):
        client.get(reverse("households:assistance_list"))


def test_a_hand_entry_made_by_mistake_is_deleted_with_its_history(client: Any, world: Any) -> None:
    clerk = world.users["town_clerk"]
    household = world.household_a1
    record = assistance_record_create(
        household=household,
        member=household.members.get(),
        kind="employment",
        received_on=date(2026, 4, 1),
        amount=Decimal(600),
        note="录错的一条",
        acting_user=clerk,
    )
    delete = reverse("households:assistance_delete", args=[household.pk, record.pk])
    client.force_login(world.users["village_staff"])
    assert client.post(delete).status_code == 403
    client.force_login(clerk)
    answer = client.post(delete, follow=True)
    page = answer.content.decode()
    assert "已删除" in page
    assert "录错的一条" not in page
    assert not AssistanceRecord.objects.exists()
    assert AssistanceRecord.history.filter(id=record.pk, history_type="-").get().history_user == clerk  # type: ignore[attr-defined]
    imported = AssistanceRecord.objects.create(
        household=household,
        member=household.members.get(),
        kind="medical",
        received_on=date(2026, 1, 1),
        source="shared_data",
        source_row_id=1,
    )
    answer = client.post(
        reverse("households:assistance_delete", args=[household.pk, imported.pk]), follow=True
    )
    assert "来源为“部门共享数据”的记录不能删除。" in answer.content.decode()
    assert AssistanceRecord.objects.filter(pk=imported.pk).exists()


def test_the_household_history_names_who_granted_and_who_explained(client: Any, world: Any) -> None:
    clerk, agri = world.users["town_clerk"], world.users["town_agri_officer"]
    household = world.household_a1
    record = temporary_assistance_grant(
        household=household,
        member=household.members.get(),
        received_on=date(2026, 5, 6),
        amount=Decimal(500),
        reason="子女突发疾病",
        acting_user=clerk,
    )
    temporary_assistance_explain(record=record, explanation="已申请医疗救助", acting_user=agri)
    client.force_login(world.users["task_force"])
    page = client.get(reverse("households:history", args=[household.pk])).content.decode()
    assert "救助帮扶记录（临时救助）" in page
    assert "子女突发疾病" in page
    assert "已申请医疗救助" in page
    assert str(agri) in page
    assert str(clerk) in page


# Correction of a hand entry (issue 17 point 8) ------------------------------------------------------


def test_a_hand_entry_is_corrected_in_place_and_the_history_keeps_the_earlier_values(
    client: Any, world: Any
) -> None:
    clerk = world.users["town_clerk"]
    household = world.household_a1
    member = household.members.get()
    record = assistance_record_create(
        household=household,
        member=member,
        kind="employment",
        received_on=date(2026, 4, 1),
        amount=Decimal(600),
        note="公益岗位补贴",
        acting_user=clerk,
    )
    correct = reverse("households:assistance_correct", args=[household.pk, record.pk])
    client.force_login(clerk)
    detail = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert correct in detail
    form = client.get(correct).content.decode()
    assert 'value="600.00"' in form or 'value="600"' in form
    assert "公益岗位补贴" in form
    # Without a reason nothing changes and the form says which field is missing.
    answer = client.post(
        correct,
        {
            "member": member.pk,
            "kind": "employment",
            "received_on": "2026-04-01",
            "amount": "660",
            "note": "公益岗位补贴",
        },
    )
    assert answer.status_code == 200
    assert "请写明更正原因。" in answer.content.decode()
    record.refresh_from_db()
    assert record.amount == Decimal("600.00")
    # With a reason: corrected in place, the page says what changed.
    answer = client.post(
        correct,
        {
            "member": member.pk,
            "kind": "employment",
            "received_on": "2026/04/03",
            "amount": "660.50",
            "note": "公益岗位补贴",
            "correction_reason": "金额以发放清单为准",
        },
        follow=True,
    )
    page = answer.content.decode()
    assert "已更正" in page
    assert "救助日期、金额" in page
    assert "660.50" in page
    record.refresh_from_db()
    assert (record.amount, record.received_on) == (Decimal("660.50"), date(2026, 4, 3))
    assert AssistanceRecord.objects.count() == 1
    latest = AssistanceRecord.history.filter(id=record.pk).order_by("-history_id").first()  # type: ignore[attr-defined]
    assert latest.history_type == "~"
    assert latest.history_user == clerk
    assert latest.history_change_reason == "更正：金额以发放清单为准"
    assert latest.prev_record.amount == Decimal("600.00")
    # The household's history shows the earlier amount, the new one, who and why.
    client.force_login(world.users["task_force"])
    history = client.get(reverse("households:history", args=[household.pk])).content.decode()
    assert "金额以发放清单为准" in history
    assert "600.00" in history
    assert "660.50" in history
    # The same values again: refused, no empty correction in the history.
    client.force_login(clerk)
    answer = client.post(
        correct,
        {
            "member": member.pk,
            "kind": "employment",
            "received_on": "2026-04-03",
            "amount": "660.50",
            "note": "公益岗位补贴",
            "correction_reason": "再看一遍",
        },
    )
    assert "没有修改任何内容。" in answer.content.decode()
    assert AssistanceRecord.history.filter(id=record.pk).count() == 2  # type: ignore[attr-defined]


def test_a_correction_is_refused_for_a_future_date_a_shared_data_record_and_a_change_to_temporary(
    client: Any, world: Any
) -> None:
    clerk = world.users["town_clerk"]
    household = world.household_a1
    member = household.members.get()
    record = assistance_record_create(
        household=household,
        member=member,
        kind="medical",
        received_on=date(2026, 4, 1),
        amount=Decimal(100),
        acting_user=clerk,
    )
    from households.services.assistance import assistance_record_correct

    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(DomainError) as refused:
        assistance_record_correct(
            record=record,
            member=member,
            received_on=tomorrow,
            amount=Decimal(100),
            correction_reason="日期",
            acting_user=clerk,
        )
    assert refused.value.field == "received_on"
    with pytest.raises(DomainError) as refused:
        assistance_record_correct(
            record=record,
            member=member,
            received_on=date(2026, 4, 1),
            amount=Decimal(100),
            kind="temporary",
            correction_reason="类型",
            acting_user=clerk,
        )
    assert "临时救助须写明事由" in str(refused.value)
    foreign = world.household_b1.members.get()
    with pytest.raises(DomainError) as refused:
        assistance_record_correct(
            record=record,
            member=foreign,
            received_on=date(2026, 4, 1),
            amount=Decimal(100),
            correction_reason="对象",
            acting_user=clerk,
        )
    assert refused.value.field == "member"
    imported = AssistanceRecord.objects.create(
        household=household,
        member=member,
        kind="medical",
        received_on=date(2026, 1, 1),
        amount=Decimal(80),
        source="shared_data",
        source_row_id=7,
    )
    client.force_login(clerk)
    detail = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert reverse("households:assistance_correct", args=[household.pk, imported.pk]) not in detail
    answer = client.post(
        reverse("households:assistance_correct", args=[household.pk, imported.pk]),
        {
            "member": member.pk,
            "kind": "medical",
            "received_on": "2026-01-01",
            "amount": "1",
            "correction_reason": "x",
        },
        follow=True,
    )
    assert "来源为“部门共享数据”的记录不能更正" in answer.content.decode()
    imported.refresh_from_db()
    assert imported.amount == Decimal("80.00")
    record.refresh_from_db()
    assert record.amount == Decimal("100.00")
    assert record.kind == "medical"


def test_temporary_assistance_is_corrected_and_stays_temporary_with_its_explanation(world: Any) -> None:
    from households.services.assistance import assistance_record_correct

    clerk = world.users["town_clerk"]
    household = world.household_a1
    member = household.members.get()
    record = temporary_assistance_grant(
        household=household,
        member=member,
        received_on=date(2026, 5, 6),
        amount=Decimal(500),
        reason="突发疾病",
        acting_user=clerk,
    )
    temporary_assistance_explain(record=record, explanation="已申请医疗救助", acting_user=clerk)
    with pytest.raises(DomainError) as refused:
        assistance_record_correct(
            record=record,
            member=member,
            received_on=date(2026, 5, 6),
            amount=None,
            reason="突发疾病",
            correction_reason="金额",
            acting_user=clerk,
        )
    assert refused.value.field == "amount"
    corrected, changed = assistance_record_correct(
        record=record,
        member=member,
        received_on=date(2026, 5, 6),
        amount=Decimal(800),
        reason="突发疾病住院",
        correction_reason="按审批表更正",
        acting_user=clerk,
    )
    assert changed == ["金额", "救助事由"]
    corrected.refresh_from_db()
    assert (corrected.kind, corrected.amount, corrected.reason) == (
        "temporary",
        Decimal("800.00"),
        "突发疾病住院",
    )
    assert corrected.explanation == "已申请医疗救助"


def test_only_the_households_town_corrects_its_records(client: Any, world: Any) -> None:
    from accounts.glossary import Role
    from tests.factories import user_with_role

    household = world.household_a1
    member = household.members.get()
    record = assistance_record_create(
        household=household,
        member=member,
        kind="education",
        received_on=date(2026, 3, 1),
        amount=Decimal(200),
        acting_user=world.users["town_clerk"],
    )
    correct = reverse("households:assistance_correct", args=[household.pk, record.pk])
    post = {
        "member": member.pk,
        "kind": "education",
        "received_on": "2026-03-01",
        "amount": "1",
        "correction_reason": "x",
    }
    client.force_login(world.users["town_agri_officer"])
    assert client.get(correct).status_code == 200
    for role in ("village_staff", "civil_affairs_reviewer", "task_force"):
        client.force_login(world.users[role])
        assert client.get(correct).status_code == 403
        assert client.post(correct, post).status_code == 403
        assert correct not in client.get(reverse("households:detail", args=[household.pk])).content.decode()
    # Another town's clerk is told nothing about where the household is.
    client.force_login(user_with_role(Role.TOWN_CLERK, world.town_b, "clerk_b"))
    assert client.get(correct).status_code == 404
    assert client.post(correct, post).status_code == 404
    record.refresh_from_db()
    assert record.amount == Decimal("200.00")
