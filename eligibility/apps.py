from django.apps import AppConfig


class EligibilityConfig(AppConfig):
    name = "eligibility"
    verbose_name = "认定规则"

    def ready(self) -> None:
        from . import throttling  # noqa: F401  (connects the rate-setting receiver)
