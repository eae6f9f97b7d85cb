from django.apps import AppConfig


class EligibilityConfig(AppConfig):
    name = "eligibility"
    verbose_name = "认定规则"

    def ready(self) -> None:
        from households.panels import register

        from . import throttling  # noqa: F401  (connects the rate-setting receiver)
        from .panels import household_assistance_panel

        register(
            key="assistance",
            template="eligibility/_household_assistance.html",
            provider=household_assistance_panel,
        )
