from __future__ import annotations

from celery import shared_task

from .services import accounts_disable_unused


@shared_task
def disable_unused_accounts() -> int:
    return accounts_disable_unused()
