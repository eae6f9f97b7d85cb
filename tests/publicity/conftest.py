"""Cases sent to a village for its notice, shared by the notice tests."""

import pytest

from applications.glossary import Stage

from ..applications.cases import accept, advance
from ..factories import MemberFactory


@pytest.fixture
def sent(world):
    """Two cases of 东湖村 the town has sent to the village for the notice."""
    first = advance(world, accept(world), Stage.PUBLICIZING)
    other = world.household_a1.__class__.objects.create(
        household_number="420281104201-0002", village=world.village_a1, address="东湖村2组"
    )
    MemberFactory(household=other, name="柯二妹")
    second = advance(world, accept(world, household=other), Stage.PUBLICIZING)
    return first, second
