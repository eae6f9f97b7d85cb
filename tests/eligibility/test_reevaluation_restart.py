"""Re-evaluation proposals go to the bureau that owns the change (issue 8 point 7), and a run whose
worker died half-way is shown as interrupted and resumes where it stopped (point 8)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from eligibility import services
from eligibility.models import ReevaluationProposal, ReevaluationRun

from .test_reevaluation import household_with_income

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 3, 1)  # the 2025 defaults: 低保 600 a month, monitoring 7800 a year


@pytest.fixture
def changes(world):
    return {
        # 583.33 a month, 7000 a year: still 低保, and now under the monitoring line: monitoring only.
        "gains_monitoring": household_with_income(world.village_a1, "7000", categories=["dibao"]),
        # 750 a month, 9000 a year: 低保边缘, no longer monitored: both bureaus.
        "both": household_with_income(world.village_a2, "9000", categories=["dibao", "monitoring"]),
        # 650 a month: 低保边缘 instead of 低保: civil affairs only.
        "civil": household_with_income(world.village_b1, "7800", categories=["dibao"]),
    }


def _rows(run):
    return {
        (p.household_id, p.bureau, tuple(p.proposed_categories), p.error)
        for p in ReevaluationProposal.objects.filter(run=run)
    }


def test_each_bureau_gets_the_changes_it_owns(world, changes):
    run = services.reevaluation_execute(run_id=ReevaluationRun.objects.create(as_of=AS_OF).pk)
    assert (run.status, run.households_evaluated, run.proposals_count) == ("done", 3, 3)
    bureaus = {(p.household_id, p.bureau) for p in ReevaluationProposal.objects.filter(run=run)}
    assert bureaus == {
        (changes["gains_monitoring"].pk, "agriculture"),
        (changes["both"].pk, "civil_affairs"),
        (changes["both"].pk, "agriculture"),
        (changes["civil"].pk, "civil_affairs"),
    }


def test_pages_and_server_let_each_bureau_decide_only_its_own(client, world, changes):
    run = services.reevaluation_execute(run_id=ReevaluationRun.objects.create(as_of=AS_OF).pk)
    monitoring = ReevaluationProposal.objects.get(run=run, household=changes["gains_monitoring"])
    civil = ReevaluationProposal.objects.get(run=run, household=changes["civil"])
    url = reverse("eligibility:reevaluation", args=[run.pk])

    client.force_login(world.users["agri_bureau_reviewer"])
    page = client.get(url).content.decode()
    assert changes["gains_monitoring"].household_number in page
    assert changes["civil"].household_number not in page  # the civil-affairs list is another tab
    assert reverse("eligibility:proposal_decide", args=[monitoring.pk]) in page
    other = client.get(url, {"bureau": "civil_affairs"}).content.decode()
    assert changes["civil"].household_number in other
    assert reverse("eligibility:proposal_decide", args=[civil.pk]) not in other
    response = client.post(reverse("eligibility:proposal_decide", args=[civil.pk]), {"accept": "1"})
    assert response.status_code == 403
    civil.refresh_from_db()
    assert civil.decision == "open"
    client.post(reverse("eligibility:proposal_decide", args=[monitoring.pk]), {"accept": "1"})
    monitoring.refresh_from_db()
    assert (monitoring.decision, monitoring.decided_by) == ("accepted", world.users["agri_bureau_reviewer"])

    client.force_login(world.users["civil_affairs_reviewer"])
    page = client.get(url).content.decode()
    assert reverse("eligibility:proposal_decide", args=[civil.pk]) in page
    assert changes["gains_monitoring"].household_number not in page
    both = ReevaluationProposal.objects.get(run=run, household=changes["both"], bureau="agriculture")
    response = client.post(reverse("eligibility:proposal_decide", args=[both.pk]), {"accept": "0"})
    assert response.status_code == 403
    both.refresh_from_db()
    assert both.decision == "open"


class WorkerDied(BaseException):
    """What the worker process dying looks like from inside: nothing after it runs."""


def test_a_run_interrupted_half_way_is_shown_and_resumes(
    client, world, changes, monkeypatch, django_capture_on_commit_callbacks
):
    clean = services.reevaluation_execute(run_id=ReevaluationRun.objects.create(as_of=AS_OF).pk)
    run = ReevaluationRun.objects.create(as_of=AS_OF, reason="中断测试")
    real_evaluate = services.evaluate
    calls = []

    def dies_on_the_second_household(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise WorkerDied
        return real_evaluate(*args, **kwargs)

    monkeypatch.setattr(services, "evaluate", dies_on_the_second_household)
    with pytest.raises(WorkerDied):
        services.reevaluation_execute(run_id=run.pk, chunk_size=1)
    monkeypatch.setattr(services, "evaluate", real_evaluate)
    run.refresh_from_db()
    first = min(household.pk for household in changes.values())
    assert (run.status, run.households_evaluated, run.last_household_id) == ("running", 1, first)
    assert ReevaluationProposal.objects.filter(run=run).exclude(household_id=first).count() == 0

    # The same message delivered again while the heartbeat is fresh: left to the worker that has it.
    assert services.reevaluation_execute(run_id=run.pk, chunk_size=1).households_evaluated == 1

    client.force_login(world.users["civil_affairs_reviewer"])
    url = reverse("eligibility:reevaluation", args=[run.pk])
    page = client.get(url).content.decode()
    assert "测算中（请稍后刷新本页）" in page
    assert "从中断处继续测算" not in page

    ReevaluationRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=11))
    page = client.get(url).content.decode()
    assert "已中断" in page
    assert "从中断处继续测算" in page
    assert "已中断" in client.get(reverse("eligibility:reevaluations")).content.decode()

    client.force_login(world.users["agri_bureau_reviewer"])
    assert "从中断处继续测算" not in client.get(url).content.decode()
    assert client.post(reverse("eligibility:reevaluation_restart", args=[run.pk])).status_code == 403

    client.force_login(world.users["civil_affairs_reviewer"])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(reverse("eligibility:reevaluation_restart", args=[run.pk]), follow=True)
    assert "已重新启动，将从中断处继续测算。" in response.content.decode()
    assert len(queued) == 1
    run.refresh_from_db()
    assert (run.status, run.restarts) == ("queued", 1)

    run = services.reevaluation_execute(run_id=run.pk, chunk_size=1)  # what the queued task does
    assert (run.status, run.households_evaluated, run.proposals_count, run.errors_count) == (
        "done",
        clean.households_evaluated,
        clean.proposals_count,
        clean.errors_count,
    )
    assert _rows(run) == _rows(clean)  # no proposal twice, none missing

    response = client.post(reverse("eligibility:reevaluation_restart", args=[run.pk]), follow=True)
    assert "该批量测算已完成，无需重新启动。" in response.content.decode()
