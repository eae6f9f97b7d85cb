from __future__ import annotations

from celery import shared_task

from . import messages, retention


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=60, max_retries=5)
def deliver_text_message(message_id: int) -> bool:
    return messages.text_message_deliver(message_id)


@shared_task
def purge_spam() -> int:
    return retention.online_spam_purge()
