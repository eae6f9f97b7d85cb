from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = "动态监测"

    def ready(self) -> None:
        from accounts.twofactor import require_also
        from applications.sources import register_source
        from households.events import listen_moved
        from households.panels import register

        from .panels import household_checks, household_visits_panel
        from .services.raising import warnings_follow_household
        from .services.tokens import department_holds_token
        from .sources import check_source, visit_source, warning_source

        require_also("department_token", department_holds_token)
        listen_moved("warnings", warnings_follow_household)
        register_source("warning", warning_source)
        register_source("check", check_source)
        register_source("visit", visit_source)

        register(
            key="visits",
            template="monitoring/_household_visits.html",
            provider=household_visits_panel,
        )
        register(
            key="checks",
            template="monitoring/checks/_household_checks.html",
            provider=household_checks,
        )
