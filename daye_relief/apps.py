"""App configurations the project gives third-party apps (listed in INSTALLED_APPS in their place)."""

from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils import timezone


class LockoutConfig(AxesAppConfig):
    """django-axes, in Chinese: the app's name in the admin, and how its records name themselves (in
    page titles and the delete confirmation). Its field labels come from the project's catalogue."""

    verbose_name = "登录锁定"

    def ready(self) -> None:
        super().ready()
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        def at(moment: object) -> str:
            return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""  # type: ignore[arg-type]

        AccessAttempt.__str__ = lambda self: f"{self.username} 的登录尝试（{at(self.attempt_time)}）"
        AccessLog.__str__ = lambda self: f"{self.username} 的登录记录（{at(self.attempt_time)}）"
        AccessFailureLog.__str__ = lambda self: f"{self.username} 的登录失败（{at(self.attempt_time)}）"


class ProjectConfig(AppConfig):
    """The project package itself, as an app only for its data migrations: the Celery beat schedules of
    DESIGN §3.6, stored as django-celery-beat rows (the one source of truth, editable in the admin)."""

    name = "daye_relief"
    verbose_name = "定时任务"
