"""Short messages to the family (DESIGN §3.12) at acceptance, at the notice and at the decision: written
with the step they tell of, sent by a task once it is committed, through settings.SMS_BACKEND (online.sms).
Light on imports: the case's step listener is registered from AppConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from applications.glossary import Channel

from .models import OnlineApplication, TextMessage
from .sms import backend
from .tasks import deliver_text_message

MESSAGES = {
    "accepted": "【大冶市社会救助】您的申请（编号{number}）已受理，办理进度可凭申请编号和查询码查询。",
    "notice": "【大冶市社会救助】您的申请（编号{number}）已进入村(居)公示，请留意公示栏。",
    "decided": "【大冶市社会救助】您的申请（编号{number}）已有办理结果，请留意书面通知或联系{office}。",
}


def tell(online: OnlineApplication, step: str) -> None:
    """Writes the short message of this step and sends it once the step is committed — only where the
    deployment configured an SMS backend (settings.SMS_BACKEND)."""
    if not getattr(settings, "SMS_BACKEND", ""):
        return
    office = f"{online.town.name}社会事务办" + (
        f"（{online.town.contact_phone}）" if online.town.contact_phone else ""
    )
    message = TextMessage.objects.create(
        online_application=online,
        phone=online.phone,
        text=MESSAGES[step].format(number=online.number, office=office),
    )
    transaction.on_commit(lambda: deliver_text_message.delay(message.pk))


def case_step_heard(event: Any) -> None:
    """The listener of the case's steps (applications.events.listen): tells the family of its case's notice
    and decision. No query for a case that did not come in online."""
    application = event.application
    if application.channel != Channel.ONLINE and not application.source.startswith("online:"):
        return
    step = {"send_to_notice": "notice", "approve": "decided", "reject": "decided"}.get(event.kind)
    if step is None:
        return
    for online in OnlineApplication.objects.filter(application=application).select_related("town"):
        tell(online, step)


def text_message_deliver(message_id: int) -> bool:
    """Sends one message through the configured backend; a message already sent is not sent again."""
    message = TextMessage.objects.filter(pk=message_id, sent_at=None).first()
    if message is None:
        return False
    try:
        backend().send(message.phone, message.text)
    except Exception as error:
        TextMessage.objects.filter(pk=message.pk).update(error=str(error)[:200])
        raise
    TextMessage.objects.filter(pk=message.pk).update(sent_at=timezone.now(), error="")
    return True
