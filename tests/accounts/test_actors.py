"""Who acts (issue 18.8): a page's request is narrowed to its signed-in person, an API request to its
person or department token; anyone else is refused."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from accounts.actors import DepartmentClient, api_actor, signed_in

pytestmark = pytest.mark.django_db


class _Token:
    def __init__(self, department) -> None:  # type: ignore[no-untyped-def]
        self.department, self.department_id = department, department.pk


def _request(user):  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_a_page_acts_as_its_signed_in_person_only(world) -> None:
    clerk = world.users["town_clerk"]
    assert signed_in(_request(clerk)) == clerk
    with pytest.raises(PermissionDenied, match="请先登录"):
        signed_in(_request(AnonymousUser()))
    department = world.users["department_user"].role_assignments.first().org_unit
    with pytest.raises(PermissionDenied):  # a department's token is no person for a page
        signed_in(_request(DepartmentClient(_Token(department))))


def test_the_api_acts_as_a_person_or_a_department_token(world) -> None:
    department = world.users["department_user"].role_assignments.first().org_unit
    client = DepartmentClient(_Token(department))
    assert api_actor(_request(client)) is client
    assert str(client) == f"{department.name}（接口）"
    assert api_actor(_request(world.users["town_clerk"])) == world.users["town_clerk"]
    with pytest.raises(PermissionDenied):
        api_actor(_request(AnonymousUser()))
