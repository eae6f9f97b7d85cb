from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "人员与机构"

    def ready(self) -> None:
        from . import signals  # noqa: F401  # a password's age and history, one session per user
