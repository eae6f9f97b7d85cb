"""Enrollments as a lifecycle (DESIGN §3.7): start, end with a reason, amounts with history, gradual exit
and the daily job that ends it; the household page shows it all."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from households.models import Enrollment
from households.selectors.households import active_enrollments
from households.services.enrollments import (
    EnrollmentRefused,
    enrollment_amount_set,
    enrollment_end,
    enrollment_start,
    gradual_exit_grant,
    gradual_exit_until,
    gradual_exits_end_due,
)
from households.tasks import end_due_gradual_exits
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
START = date(2026, 3, 10)


@pytest.fixture
def clerk(world):
    return world.users["town_clerk"]


@pytest.fixture
def dibao(world, clerk):
    return enrollment_start(
        household=world.household_a1,
        category="dibao",
        start=START,
        monthly_amount=Decimal("430.00"),
        acting_user=clerk,
    )


def test_start_names_the_clerk_in_the_history(world, clerk, dibao):
    row = dibao.history.get()
    assert (row.history_user, row.monthly_amount, row.amount_since) == (clerk, Decimal("430.00"), START)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"category": "tekun"}, "member_required"),
        ({"category": "dibao_single"}, "member_required"),
        ({"category": "marginal", "monthly_amount": Decimal("100")}, "amount_not_cash"),
        ({"category": "dibao", "monthly_amount": Decimal("-1")}, "amount_negative"),
        ({"category": "nonsense"}, "unknown_category"),
    ],
)
def test_start_refuses_what_the_rules_refuse(world, clerk, kwargs, code):
    with pytest.raises(EnrollmentRefused) as refused:
        enrollment_start(household=world.household_a1, start=START, acting_user=clerk, **kwargs)
    assert refused.value.code == code
    assert not Enrollment.objects.exists()


def test_no_two_active_enrollments_of_the_same_household_and_category(world, clerk, dibao):
    with pytest.raises(EnrollmentRefused) as refused:
        enrollment_start(
            household=world.household_a1, category="dibao", start=date(2026, 5, 1), acting_user=clerk
        )
    assert refused.value.code == "enrollment_exists"
    assert "本户已纳入低保（2026-03-10起）" in refused.value.message
    # After it ends, the household may be enrolled again.
    enrollment_end(enrollment=dibao, on=date(2026, 4, 1), reason="income_exceeds", acting_user=clerk)
    again = enrollment_start(
        household=world.household_a1, category="dibao", start=date(2026, 5, 1), acting_user=clerk
    )
    assert again.pk != dibao.pk


def test_member_level_categories_one_per_member(world, clerk):
    elder = world.household_a1.members.get()
    other = MemberFactory(household=world.household_a1, relation="spouse")
    enrollment_start(
        household=world.household_a1, category="tekun", member=elder, start=START, acting_user=clerk
    )
    enrollment_start(
        household=world.household_a1, category="tekun", member=other, start=START, acting_user=clerk
    )
    with pytest.raises(EnrollmentRefused) as refused:
        enrollment_start(
            household=world.household_a1, category="tekun", member=elder, start=START, acting_user=clerk
        )
    assert refused.value.code == "enrollment_exists"
    stranger = world.household_b1.members.get()
    with pytest.raises(EnrollmentRefused) as refused:
        enrollment_start(
            household=world.household_a1, category="tekun", member=stranger, start=START, acting_user=clerk
        )
    assert refused.value.code == "member_not_in_household"


def test_end_with_a_date_and_a_reason(world, clerk, dibao):
    with pytest.raises(EnrollmentRefused) as refused:
        enrollment_end(enrollment=dibao, on=START - timedelta(days=1), reason="death", acting_user=clerk)
    assert refused.value.code == "end_before_start"
    with pytest.raises(EnrollmentRefused) as refused:
        enrollment_end(enrollment=dibao, on=START, reason="bored", acting_user=clerk)
    assert refused.value.code == "end_reason_invalid"

    enrollment_end(enrollment=dibao, on=date(2026, 6, 1), reason="moved_out", acting_user=clerk)
    assert active_enrollments(date(2026, 5, 31)).filter(pk=dibao.pk).exists()
    assert not active_enrollments(date(2026, 6, 1)).filter(pk=dibao.pk).exists()
    with pytest.raises(EnrollmentRefused) as refused:
        enrollment_end(enrollment=dibao, on=date(2026, 7, 1), reason="death", acting_user=clerk)
    assert refused.value.code == "enrollment_ended"
    assert "该纳入已于2026-06-01退出（迁出）" in refused.value.message
    assert dibao.history.latest().history_user == clerk


def test_amount_changes_keep_their_history(world, clerk, dibao):
    reviewer = world.users["task_force"]
    enrollment_amount_set(
        enrollment=dibao, amount=Decimal("520.00"), since=date(2026, 7, 1), acting_user=reviewer
    )
    with pytest.raises(EnrollmentRefused) as refused:
        enrollment_amount_set(
            enrollment=dibao, amount=Decimal("300.00"), since=date(2026, 6, 1), acting_user=clerk
        )
    assert refused.value.code == "amount_date_before"
    dibao.refresh_from_db()
    assert (dibao.monthly_amount, dibao.amount_since) == (Decimal("520.00"), date(2026, 7, 1))
    assert [(h.monthly_amount, h.history_user) for h in dibao.history.order_by("history_id")] == [
        (Decimal("430.00"), clerk),
        (Decimal("520.00"), reviewer),
    ]


@pytest.mark.parametrize(
    ("decided_on", "months", "until"),
    [
        (date(2026, 3, 10), 6, date(2026, 9, 30)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),  # across a year end, into a short February
        (date(2027, 8, 31), 6, date(2028, 2, 29)),  # leap year
        (date(2026, 12, 1), 1, date(2027, 1, 31)),
        (date(2026, 12, 31), 0, date(2026, 12, 31)),
    ],
)
def test_gradual_exit_lasts_to_the_end_of_the_month(decided_on, months, until):
    assert gradual_exit_until(decided_on, months) == until


def test_gradual_exit_only_for_dibao_cancelled_for_work(world, clerk, dibao):
    monitoring = enrollment_start(
        household=world.household_a1, category="monitoring", start=START, acting_user=clerk
    )
    with pytest.raises(EnrollmentRefused) as refused:
        gradual_exit_grant(
            enrollment=monitoring,
            decided_on=date(2026, 8, 31),
            months=6,
            income_from_work_or_business=True,
            acting_user=clerk,
        )
    assert refused.value.code == "gradual_exit_category"
    with pytest.raises(EnrollmentRefused) as refused:
        gradual_exit_grant(
            enrollment=dibao,
            decided_on=date(2026, 8, 31),
            months=6,
            income_from_work_or_business=False,
            acting_user=clerk,
        )
    assert refused.value.code == "gradual_exit_not_from_work"


def test_daily_job_ends_a_gradual_exit_on_the_right_day_across_a_month_end(world, clerk, dibao):
    gradual_exit_grant(
        enrollment=dibao,
        decided_on=date(2026, 8, 31),
        months=6,
        income_from_work_or_business=True,
        acting_user=clerk,
    )
    system = type(clerk).objects.create(username="job")
    assert gradual_exits_end_due(today=date(2027, 2, 28), acting_user=system) == 0
    assert active_enrollments(date(2027, 2, 28)).filter(pk=dibao.pk).exists()

    # A late run (the job missed a day) still ends it the day after the last day.
    assert gradual_exits_end_due(today=date(2027, 3, 2), acting_user=system) == 1
    assert gradual_exits_end_due(today=date(2027, 3, 2), acting_user=system) == 0  # twice: the same result
    dibao.refresh_from_db()
    assert (dibao.end_date, dibao.end_reason) == (date(2027, 3, 1), "gradual_exit_ended")
    assert dibao.monthly_amount == Decimal("430.00")  # paid to the end of the period
    assert dibao.history.latest().history_user == system
    assert not active_enrollments(date(2027, 3, 1)).filter(pk=dibao.pk).exists()


def test_the_celery_task_acts_as_the_system_user_and_is_scheduled_at_0530(world, clerk, dibao):
    today = timezone.localdate()
    Enrollment.objects.filter(pk=dibao.pk).update(start_date=today - timedelta(days=400))
    dibao.refresh_from_db()
    gradual_exit_grant(
        enrollment=dibao,
        decided_on=today - timedelta(days=100),
        months=0,
        income_from_work_or_business=True,
        acting_user=clerk,
    )
    assert end_due_gradual_exits.apply().get() == 1
    assert end_due_gradual_exits.apply().get() == 0
    assert dibao.history.latest().history_user.username == "system"
    entry = PeriodicTask.objects.get(task="households.tasks.end_due_gradual_exits")
    assert (entry.crontab.hour, entry.crontab.minute, entry.crontab.day_of_month) == ("5", "30", "*")
    assert str(entry.crontab.timezone) == "Asia/Shanghai"


def test_household_page_shows_amounts_gradual_exit_and_ended_enrollments(client, world, clerk):
    household = world.household_a1
    elder = household.members.get()
    today = timezone.localdate()
    start = today - timedelta(days=200)
    dibao = enrollment_start(
        household=household,
        category="dibao",
        start=start,
        monthly_amount=Decimal("430.00"),
        acting_user=clerk,
    )
    enrollment_amount_set(
        enrollment=dibao, amount=Decimal("520.00"), since=today - timedelta(days=30), acting_user=clerk
    )
    gradual_exit_grant(
        enrollment=dibao, decided_on=today, months=6, income_from_work_or_business=True, acting_user=clerk
    )
    tekun = enrollment_start(
        household=household,
        category="tekun",
        member=elder,
        start=start,
        monthly_amount=Decimal("780.00"),
        acting_user=clerk,
    )
    enrollment_end(enrollment=tekun, on=today - timedelta(days=3), reason="death", acting_user=clerk)

    client.force_login(clerk)
    page = client.get(reverse("households:detail", args=[household.pk])).content.decode()

    section = page[page.index('id="enrollments"') :]
    assert "纳入类别与救助金" in section
    assert f"渐退期至 {gradual_exit_until(today, 6).isoformat()}" in section
    assert "520.00" in section  # the current amount
    assert "430.00" in section  # and the earlier one, in the history
    assert "低保金额变化" in section
    assert "已退出" in section
    assert f"<td>{(today - timedelta(days=3)).isoformat()}</td><td>死亡</td>" in section
    assert "每月救助金合计 <strong>520.00</strong> 元" in section


def test_household_page_enrollments_stay_in_scope(client, world, clerk):
    enrollment_start(
        household=world.household_b1,
        category="dibao",
        start=START,
        monthly_amount=Decimal("430.00"),
        acting_user=clerk,
    )
    client.force_login(world.users["village_staff"])  # village a1: household b1 is another town's
    assert client.get(reverse("households:detail", args=[world.household_b1.pk])).status_code == 404


def test_household_page_says_a_cash_amount_is_not_yet_set_and_in_kind_help_pays_none(client, world, clerk):
    """A 低保 enrollment without an amount is 未核定 (never "not paid"); monitoring carries no cash."""
    household = world.household_a1
    start = timezone.localdate() - timedelta(days=10)
    enrollment_start(household=household, category="dibao", start=start, acting_user=clerk)
    enrollment_start(household=household, category="monitoring", start=start, acting_user=clerk)

    client.force_login(clerk)
    page = client.get(reverse("households:detail", args=[household.pk])).content.decode()

    assert "未核定" in page
    assert "无现金救助" in page
    assert "不发放" not in page
