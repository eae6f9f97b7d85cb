from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "申请案件"

    def ready(self) -> None:
        from households.panels import register

        from .panels import household_cases

        register(
            key="cases",
            template="applications/_household_cases.html",
            provider=household_cases,
        )
