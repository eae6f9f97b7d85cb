from django.apps import AppConfig


class OnlineConfig(AppConfig):
    name = "online"
    verbose_name = "线上申请"

    def ready(self) -> None:
        from applications import events
        from applications.case_panels import CASE_PANELS, WORKBENCH_PANELS

        from . import messages, panels

        events.listen("online", messages.case_step_heard)
        CASE_PANELS.register(key="online", template="online/_case_origin.html", provider=panels.case_panel)
        WORKBENCH_PANELS.register(
            key="online", template="online/_workbench.html", provider=panels.workbench_panel
        )
