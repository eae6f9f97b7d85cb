from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from accounts import twofactor
from accounts.forms import LoginForm
from applications import views as application_views
from applications.api import ApplicationViewSet
from daye_relief import views as project_views
from desk import pages as desk_pages
from desk.stats_api import StatsOverviewView
from eligibility import views as eligibility_views
from eligibility.api import EvaluateView
from households.api import HouseholdViewSet, MemberViewSet
from journal import views as journal_views
from publicity import public_views as publicity_public_views
from publicity.api import NoticeViewSet

router = DefaultRouter()
router.register("households", HouseholdViewSet, basename="household")
router.register("members", MemberViewSet, basename="member")
router.register("applications", ApplicationViewSet, basename="application")
router.register("notices", NoticeViewSet, basename="notice")

admin.site.site_header = "大冶市两项政策衔接并轨 系统管理"
admin.site.site_title = "系统管理"

urlpatterns = [
    path("", desk_pages.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/2fa/setup/", twofactor.setup, name="two_factor_setup"),
    path("accounts/2fa/codes/", twofactor.codes, name="two_factor_codes"),
    path("accounts/2fa/verify/", twofactor.verify, name="two_factor_verify"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", journal_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # Removing a member asks the case side first (a running case's applicant stays): served by applications.
    path(
        "households/<int:pk>/members/<int:member_pk>/remove/",
        application_views.household_member_remove,
        name="household_member_remove",
    ),
    path("households/", include("households.urls")),
    path("cases/", include("applications.urls")),
    path("", include("publicity.urls")),
    path("", include("online.urls")),
    path("robots.txt", publicity_public_views.robots_txt),
    path("favicon.ico", project_views.favicon),
    path("eligibility/", include("eligibility.urls")),
    path("self-check/", eligibility_views.self_check, name="self_check"),
    path("api/v1/eligibility/evaluate/", EvaluateView.as_view(), name="api-eligibility-evaluate"),
    path("api/v1/workdays/", include("workdays.urls")),
    path("api/v1/", include("monitoring.api_urls")),
    path("api/v1/stats/overview/", StatsOverviewView.as_view(), name="api-stats-overview"),
    path("monitoring/", include("monitoring.urls")),
    path("social/", include("charities.urls")),
    path("desk/", include("desk.urls")),
    path("audit/", include("desk.audit_urls")),
    path("documents/", include("evidence.urls")),
    path("api/v1/", include("evidence.api_urls")),
    path("api/v1/", include("online.api_urls")),
    path("api/v1/", include(router.urls)),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]

handler404 = "daye_relief.views.page_not_found"
handler403 = "daye_relief.views.permission_denied"
