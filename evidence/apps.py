from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = "材料"

    def ready(self) -> None:
        from applications.case_panels import register as register_case_panel
        from households.panels import register as register_household_panel

        from .views import case_panel, household_panel

        register_household_panel(
            key="documents", template="evidence/_documents.html", provider=household_panel
        )
        register_case_panel(key="documents", template="evidence/_documents.html", provider=case_panel)
