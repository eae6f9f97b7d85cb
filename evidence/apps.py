from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = "材料"

    def ready(self) -> None:
        from applications.case_panels import CASE_PANELS
        from households.panels import register as register_household_panel
        from monitoring.page_panels import VISIT_FORM_PANELS, VISIT_PANELS
        from publicity.panels import NOTICE_PANELS

        from . import views

        register_household_panel(
            key="documents", template="evidence/_documents.html", provider=views.household_panel
        )
        CASE_PANELS.register(key="documents", template="evidence/_documents.html", provider=views.case_panel)
        VISIT_FORM_PANELS.register(
            key="photos",
            template="evidence/_visit_photo_input.html",
            provider=views.visit_form_panel,
            taken=views.visit_photos_taken,
        )
        VISIT_PANELS.register(key="photos", template="evidence/_photos.html", provider=views.visit_panel)
        NOTICE_PANELS.register(
            key="board_photo", template="evidence/_notice_photos.html", provider=views.notice_panel
        )
