"""A reviewer changes the 2026 低保 standard and sees which households it would move — through a real
Celery worker on Redis, with nothing applied to the households by itself."""

import time
from datetime import date
from decimal import Decimal

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.management import call_command
from django.urls import reverse

from daye_relief.celery import app
from eligibility.models import ReevaluationProposal, ReevaluationRun
from households.models import Enrollment, Income

from ..factories import HouseholdFactory, MemberFactory, valid_id


def household_with_income(village, income, *, categories, relation="applicant"):
    household = HouseholdFactory(village=village)
    member = MemberFactory(
        household=household,
        relation=relation,
        birth_date=date(1980, 1, 1),
        id_number=valid_id(date(1980, 1, 1)),
    )
    Income.objects.create(member=member, kind="wages", annual_amount=Decimal(income))
    for category in categories:
        Enrollment.objects.create(household=household, category=category, start_date=date(2025, 1, 1))
    return household


@pytest.fixture
def caseload(world):
    return {
        # 583.33 a month: 低保 and, below 7800 a year, 防止返贫监测 — under both standards.
        "stays": household_with_income(world.village_a1, "7000", categories=["dibao", "monitoring"]),
        # 650.00 a month: 低保边缘 under 600, 低保 under 700.
        "moves": household_with_income(world.village_a2, "7800", categories=["marginal"]),
        # No applicant in the stored data: reported, not guessed.
        "broken": household_with_income(world.village_b1, "3000", categories=["dibao"], relation="spouse"),
        # Not enrolled: not part of the run.
        "outside": household_with_income(world.village_a1, "1000", categories=[]),
    }


def wait_for(run_id, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        run = ReevaluationRun.objects.get(pk=run_id)
        if run.status in (ReevaluationRun.Status.DONE, ReevaluationRun.Status.FAILED):
            return run
        time.sleep(0.2)
    raise AssertionError(f"run {run_id} still {run.status} after {seconds}s")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reviewer_raises_the_2026_standard_and_sees_the_households_it_would_move(client, world, caseload):
    client.force_login(world.users["civil_affairs_reviewer"])
    response = client.post(
        reverse("eligibility:parameter_create"),
        {
            "code": "dibao_standard_rural",
            "region_code": "420281",
            "valid_from": "2026-01-01",
            "value": "700",
            "source": "大冶市民政局 2026年1号文",
            "close_previous": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()
    app.control.purge()  # nothing left in the Redis queue by an earlier run reaches this worker
    with start_worker(app, perform_ping_check=False, pool="solo"):
        response = client.post(
            reverse("eligibility:reevaluations"), {"as_of": "2026-03-01", "reason": "2026年标准调整"}
        )
        run = ReevaluationRun.objects.get()
        assert response.url == reverse("eligibility:reevaluation", args=[run.pk])
        run = wait_for(run.pk)
    assert (run.status, run.households_evaluated, run.proposals_count, run.errors_count) == ("done", 3, 1, 1)

    page = client.get(reverse("eligibility:reevaluation", args=[run.pk])).content.decode()
    moved = caseload["moves"].household_number
    assert moved in page
    assert caseload["stays"].household_number not in page
    assert caseload["outside"].household_number not in page
    row = page[page.index(moved) :]
    row = row[: row.index("</tr>")]
    assert '<span class="tag">低保边缘</span>' in row
    assert '<span class="tag">低保</span>' in row
    assert "650.00" in row
    broken_row = page[page.index(caseload["broken"].household_number) :]
    assert "无法测算" in broken_row[: broken_row.index("</tr>")]
    # Nothing was applied: the household is still enrolled as it was.
    assert list(caseload["moves"].enrollments.values_list("category", flat=True)) == ["marginal"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_task_is_safe_to_run_twice(world, caseload):
    run = ReevaluationRun.objects.create(as_of=date(2026, 3, 1))
    from eligibility.tasks import reevaluate_enrolled_households

    assert reevaluate_enrolled_households(run.pk) == 0  # under the 2025 standard nothing changes
    assert reevaluate_enrolled_households(run.pk) == 0
    assert ReevaluationProposal.objects.filter(run=run).count() == 1  # the broken household, once


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_management_command(world, caseload, capsys):
    call_command("reevaluate_households", "--as-of", "2026-03-01")
    out = capsys.readouterr().out
    assert "3 households evaluated, 0 would change category, 1 could not be evaluated." in out


@pytest.mark.django_db
def test_deciding_a_proposal_changes_no_enrollment_and_cannot_be_done_twice(client, world, caseload):
    run = ReevaluationRun.objects.create(as_of=date(2026, 3, 1), status="done")
    proposal = ReevaluationProposal.objects.create(
        run=run,
        household=caseload["moves"],
        current_categories=["marginal"],
        proposed_categories=["dibao"],
        per_capita_monthly_income=Decimal("650.00"),
    )
    client.force_login(world.users["civil_affairs_reviewer"])
    client.post(reverse("eligibility:proposal_decide", args=[proposal.pk]), {"accept": "1"})
    proposal.refresh_from_db()
    assert proposal.decision == "accepted"
    assert proposal.decided_by == world.users["civil_affairs_reviewer"]
    response = client.post(
        reverse("eligibility:proposal_decide", args=[proposal.pk]), {"accept": "0"}, follow=True
    )
    assert "该提示已处理（已采纳（转入调整程序））。" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.decision == "accepted"
    assert list(caseload["moves"].enrollments.values_list("category", flat=True)) == ["marginal"]
