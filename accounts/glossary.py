"""Codes used in the code and the Chinese labels people read, for roles and kinds of org unit."""

from django.db import models


class OrgKind(models.TextChoices):
    CITY = "city", "市"
    TOWN = "town", "镇"
    VILLAGE = "village", "村(居)"
    BUREAU = "bureau", "市直局"
    DEPARTMENT = "department", "部门"


class Role(models.TextChoices):
    TOWN_CLERK = "town_clerk", "镇社会事务办"
    TOWN_AGRI_OFFICER = "town_agri_officer", "镇农办"
    TASK_FORCE = "task_force", "镇工作专班"
    VILLAGE_STAFF = "village_staff", "村(居)委会 / 驻村工作队"
    CIVIL_AFFAIRS_REVIEWER = "civil_affairs_reviewer", "市民政局"
    AGRI_BUREAU_REVIEWER = "agri_bureau_reviewer", "市农业农村局"
    DEPARTMENT_USER = "department_user", "部门用户"
    ADMINISTRATOR = "administrator", "系统管理员"


# The kind of org unit each role is scoped to (DESIGN §2).
ROLE_SCOPE_KIND: dict[str, str] = {
    Role.TOWN_CLERK: OrgKind.TOWN,
    Role.TOWN_AGRI_OFFICER: OrgKind.TOWN,
    Role.TASK_FORCE: OrgKind.TOWN,
    Role.VILLAGE_STAFF: OrgKind.VILLAGE,
    Role.CIVIL_AFFAIRS_REVIEWER: OrgKind.BUREAU,
    Role.AGRI_BUREAU_REVIEWER: OrgKind.BUREAU,
    Role.DEPARTMENT_USER: OrgKind.DEPARTMENT,
    Role.ADMINISTRATOR: OrgKind.CITY,
}
