from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from .models import OrgUnit, RoleAssignment, User


@admin.register(OrgUnit)
class OrgUnitAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1
    autocomplete_fields = ["org_unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    inlines = [RoleAssignmentInline]
    list_display = ["username", "full_name", "is_active", "is_staff", "last_login"]
    search_fields = ["username", "full_name"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    # What a user may do comes from their roles (accounts.access), not from Django's groups and
    # permissions: the form does not offer those (their names are stored in English, too).
    fieldsets = (
        (None, {"fields": ["username", "password"]}),
        ("个人信息", {"fields": ["full_name", "email"]}),
        ("系统管理权限", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("重要日期", {"fields": ["last_login", "date_joined", "password_changed_at"]}),
    )
    readonly_fields = ["password_changed_at"]
    actions = ["reset_two_factor"]

    @admin.action(description="重置两步验证（用户下次登录时重新设置）")
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        users = list(queryset)
        TOTPDevice.objects.filter(user__in=users).delete()
        StaticDevice.objects.filter(user__in=users).delete()
        messages.success(request, f"已重置 {len(users)} 个用户的两步验证。")


# Groups are not used: roles are.
admin.site.unregister(Group)
# The second factors are set up by each user (accounts.twofactor) and reset by the action above; django-otp's
# own admin pages (in English, showing the secret keys) are not offered.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)

from . import admin_packages  # noqa: E402, F401  (the installed packages' admin pages, in Chinese)
