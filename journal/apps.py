from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "journal"
    verbose_name = "访问留痕"

    def ready(self) -> None:
        from . import signals  # noqa: F401  # sign-in, sign-out and failures, from Django's auth signals
