"""A worker keeps the parameter table between chunks, and reads it again once a parameter changes."""

from datetime import date
from decimal import Decimal

import pytest

from eligibility import services

pytestmark = pytest.mark.django_db


def test_the_worker_rereads_the_parameters_once_one_changes(world):
    first = services._parameter_table()
    assert services._parameter_table() is first
    services.parameter_save(
        code="dibao_standard_rural",
        region_code="420281",
        valid_from=date(2026, 1, 1),
        valid_to=None,
        value=Decimal("700"),
        source="大冶市民政局 2026年1号文",
        close_previous=True,
    )
    second = services._parameter_table()
    assert second is not first
    row = second.row_in_force("dibao_standard_rural", "420281104201", date(2026, 3, 1))
    assert row is not None
    assert row.value == Decimal("700")
