"""The bulk variant of starting enrollments (the one module that writes them, issue 9 point 1): the same
rules row by row, history naming who loaded them, all or nothing; the demo's caseload is enrolled through
the service, its history naming the approving town clerk."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from households.models import Enrollment
from households.selectors.households import active_enrollments
from households.services.enrollments import EnrollmentRefused, NewEnrollment, enrollments_bulk_start
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
START = date(2026, 3, 10)


def test_rows_are_written_with_history_naming_who_loaded_them(world):
    clerk = world.users["town_clerk"]
    elder = MemberFactory(household=world.household_a2, relation="spouse")
    count = enrollments_bulk_start(
        [
            NewEnrollment(world.household_a1.pk, "dibao", START, monthly_amount=Decimal("430.00")),
            NewEnrollment(world.household_a2.pk, "tekun", START, member_id=elder.pk),
            NewEnrollment(
                world.household_b1.pk,
                "monitoring",
                date(2025, 1, 1),
                end=date(2026, 1, 1),
                end_reason="other",
            ),
        ],
        acting_user=clerk,
    )
    assert count == 3
    dibao = Enrollment.objects.get(household=world.household_a1)
    assert (dibao.monthly_amount, dibao.amount_since) == (Decimal("430.00"), START)
    assert {row.history_user for row in Enrollment.history.all()} == {clerk}
    assert set(active_enrollments(START).values_list("category", flat=True)) == {"dibao", "tekun"}


@pytest.mark.parametrize(
    ("item", "code"),
    [
        (lambda world: NewEnrollment(world.household_a1.pk, "tekun", START), "member_required"),
        (lambda world: NewEnrollment(world.household_a1.pk, "nonsense", START), "unknown_category"),
        (
            lambda world: NewEnrollment(world.household_a1.pk, "marginal", START, monthly_amount=Decimal(1)),
            "amount_not_cash",
        ),
        (
            lambda world: NewEnrollment(world.household_a1.pk, "dibao", START, end=date(2026, 1, 1)),
            "end_invalid",
        ),
        (lambda world: NewEnrollment(world.household_b1.pk, "dibao", START), "enrollment_exists"),
    ],
)
def test_one_refused_row_writes_nothing(world, item, code):
    good = NewEnrollment(world.household_b1.pk, "dibao", START)
    with pytest.raises(EnrollmentRefused) as refused:
        enrollments_bulk_start([good, item(world)], acting_user=world.users["town_clerk"])
    assert refused.value.code == code
    assert not Enrollment.objects.exists()
    assert not Enrollment.history.exists()


def test_the_demo_enrolls_its_caseload_through_the_service(db):
    from demo.seed import seed_demo

    seed_demo()
    enrollments = Enrollment.objects.select_related("household__village")
    assert enrollments.count() > 100
    created = {
        row.id: row for row in Enrollment.history.filter(history_type="+").select_related("history_user")
    }
    assert set(created) == {enrollment.pk for enrollment in enrollments}
    clerk_of_town = {"420281104": "clerk_hdq", "420281101": "clerk_ba"}
    for enrollment in enrollments:
        expected = clerk_of_town[enrollment.household.village.code[:9]]
        assert created[enrollment.pk].history_user.username == expected
    assert enrollments.filter(member__isnull=False, category="tekun").exists()
    assert enrollments.exclude(monthly_amount=None).exists()
