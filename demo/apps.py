from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for a quick look (`manage.py seed_demo`): it fills every app, so it sits above them all."""

    name = "demo"
    verbose_name = "演示数据"
