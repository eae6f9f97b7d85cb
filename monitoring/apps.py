from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = "动态监测"

    def ready(self) -> None:
        from households.panels import register

        from .panels import household_checks

        register(
            key="checks",
            order=60,
            template="monitoring/checks/_household_checks.html",
            provider=household_checks,
        )
