from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from .glossary import ROLE_SCOPE_KIND, OrgKind, Role


class OrgUnit(models.Model):
    """The city, a town, a village, a bureau or a department: whatever a user's role is scoped to."""

    code = models.CharField("代码", max_length=32, unique=True, help_text="行政区划代码或部门代码")
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=16, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    contact_phone = models.CharField("联系电话", max_length=32, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = "机构"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        expected_parent = {OrgKind.VILLAGE: OrgKind.TOWN, OrgKind.TOWN: OrgKind.CITY}.get(OrgKind(self.kind))
        if expected_parent and (self.parent is None or self.parent.kind != expected_parent):
            raise ValidationError(
                {"parent": f"{self.get_kind_display()}的上级必须是{OrgKind(expected_parent).label}。"}
            )


class User(AbstractUser):
    """A person who logs in. What they may do comes from their role assignments."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    # When the password was last set (accounts.services.password_recorded): staff change it every
    # PASSWORD_MAX_AGE_DAYS days (DESIGN §3.13).
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login", "password_changed_at"])

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username


class RoleAssignment(models.Model):
    """One role of a user, scoped to one org unit (a town, a village, a bureau, a department)."""

    user = models.ForeignKey(
        User, verbose_name="用户", on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField("角色", max_length=32, choices=Role.choices)
    org_unit = models.ForeignKey(OrgUnit, verbose_name="所属机构", on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "org_unit"], name="unique_role_assignment"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}（{self.org_unit}）"

    def clean(self) -> None:
        expected = ROLE_SCOPE_KIND[Role(self.role)]
        if self.org_unit_id and self.org_unit.kind != expected:
            raise ValidationError(
                {"org_unit": f"“{self.get_role_display()}”只能分配给{OrgKind(expected).label}级机构。"}
            )


class PasswordRecord(models.Model):
    """The hash of a password a user had: a new one may not be one of the last five (accounts.passwords)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    password = models.CharField(max_length=128)
    set_at = models.DateTimeField()

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        ordering = ["-set_at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.set_at:%Y-%m-%d}"


class UserSession(models.Model):
    """The one session a user may have (DESIGN §3.13): a new sign-in replaces it."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40)

    class Meta:
        verbose_name = "当前会话"
        verbose_name_plural = "当前会话"

    def __str__(self) -> str:
        return str(self.user_id)


class EndedSession(models.Model):
    """A session ended by a sign-in elsewhere: its browser is told why on its next visit."""

    session_key = models.CharField(max_length=40, unique=True)
    reason = models.CharField(max_length=32)
    ended_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "已结束的会话"
        verbose_name_plural = "已结束的会话"

    def __str__(self) -> str:
        return f"{self.reason} {self.ended_at:%Y-%m-%d %H:%M}"
