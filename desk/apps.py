from django.apps import AppConfig


class DeskConfig(AppConfig):
    """Every role's desk: to-do home pages, dashboards, the pilot evaluation, exports (DESIGN §3.10). It
    sits above the other apps and reads from their selectors; nothing below imports it."""

    name = "desk"
    verbose_name = "工作台与统计"

    def ready(self) -> None:
        # The lists join the export registry when they are declared.
        from households.panels import register

        from . import audit_views, export_lists  # noqa: F401

        # "谁查看过这户" on the household page, for the roles that read the journal (DESIGN §3.13).
        register(
            key="readers", template="journal/_household_readers.html", provider=audit_views.household_panel
        )
