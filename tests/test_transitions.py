"""The one guard of the project's state machines (daye_relief/transitions.py)."""

import pytest
from django.db import models

from daye_relief.errors import InvalidTransition
from daye_relief.transitions import Move, StateMachine


class Status(models.TextChoices):
    OPEN = "open", "待签收"
    DONE = "done", "已办结"


class Locked(InvalidTransition):
    code = "locked"


MACHINE = StateMachine(
    noun="预警",
    labels=Status,
    moves={"close": Move("办结", from_={Status.OPEN}, to=Status.DONE)},
)


def test_a_move_from_an_allowed_status_is_returned():
    move = MACHINE.guard("close", "open")
    assert move.to == "done"
    assert MACHINE.allows("close", "open")


def test_a_move_from_another_status_is_refused_in_chinese_naming_the_status():
    assert not MACHINE.allows("close", "done")
    with pytest.raises(InvalidTransition) as caught:
        MACHINE.guard("close", "done")
    assert caught.value.message == (
        "该预警当前为“已办结”，不能办结。可能已有其他人办理了这一步，请刷新页面查看最新状态。"
    )
    assert caught.value.http_status == 409


def test_the_refusal_can_be_a_subclass_with_its_own_code():
    with pytest.raises(Locked) as caught:
        MACHINE.guard("close", "done", error=Locked)
    assert caught.value.code == "locked"
