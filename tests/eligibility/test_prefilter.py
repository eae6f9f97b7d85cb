"""The bulk re-evaluation's SQL pre-filter (issue 22 point 2) hides no proposal: over generated
households of every make-up (broken ones included), a run with it gives the same proposals, field by
field, and the same counters as a run where the engine evaluates every household."""

from __future__ import annotations

import pytest

from benchmarks.bulk_bench import PROPOSAL_FIELDS
from benchmarks.database import load
from benchmarks.generate import AS_OF
from eligibility import prefilter
from eligibility.models import ReevaluationRun
from eligibility.selectors import ParameterTable, enrolled_household_ids
from eligibility.services import reevaluation_execute

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _run(settings, *, on: bool) -> tuple[ReevaluationRun, set[tuple[object, ...]]]:
    from django.db import connection

    settings.REEVALUATION_PREFILTER = on
    run = ReevaluationRun.objects.create(as_of=AS_OF, reason="test")
    run = reevaluation_execute(run_id=run.pk, chunk_size=500)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {PROPOSAL_FIELDS} FROM eligibility_reevaluationproposal WHERE run_id = %s",  # noqa: S608
            [run.pk],
        )
        return run, set(cursor.fetchall())


def test_the_prefilter_changes_no_proposal_and_spares_the_engine_most_households(settings):
    load(households=3000, seed=22, bench=False)
    ids = enrolled_household_ids(on=AS_OF)
    checked = prefilter.households_to_evaluate(
        on=AS_OF, first_id=ids[0], last_id=ids[-1], table=ParameterTable.load()
    )
    assert checked is not None
    total, to_evaluate = checked
    assert total == len(ids)
    assert len(to_evaluate) < total / 2  # most generated households are enrolled as the engine finds

    with_prefilter, proposals = _run(settings, on=True)
    without, reference = _run(settings, on=False)
    assert reference  # the generated households do give proposals and errors
    assert proposals == reference
    for field in ("status", "households_evaluated", "proposals_count", "errors_count"):
        assert getattr(with_prefilter, field) == getattr(without, field), field
