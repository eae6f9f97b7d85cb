from django.apps import AppConfig


class CharitiesConfig(AppConfig):
    """Social forces (社会力量, DESIGN §3.8): charity projects and volunteers registered by the civil-affairs
    bureau, households' recorded needs matched to them, and the help given (an assistance record of kind
    社会力量帮扶 on the member). Sits above households; nothing below imports it."""

    name = "charities"
    verbose_name = "社会力量"

    def ready(self) -> None:
        from households.panels import register

        from .panels import household_needs_panel

        register(
            key="social_needs",
            template="charities/_household_needs.html",
            provider=household_needs_panel,
        )
