"""Short messages to a family's phone through one small interface, like Django's e-mail backends:
settings.SMS_BACKEND names the class (blank: no messages at all). The console backend prints (make run),
the memory backend keeps an outbox (tests), the HTTP backend posts to the deployment's SMS gateway."""

from __future__ import annotations

import json
import urllib.request
from typing import Any, ClassVar

from django.conf import settings
from django.utils.module_loading import import_string


class ConsoleBackend:
    def send(self, phone: str, text: str) -> None:
        print(f"[短信] {phone}: {text}", flush=True)  # noqa: T201 - the console backend's whole job


class MemoryBackend:
    outbox: ClassVar[list[tuple[str, str]]] = []

    def send(self, phone: str, text: str) -> None:
        self.outbox.append((phone, text))


class HttpGatewayBackend:
    """POSTs {"phone", "text"} as JSON to settings.SMS_GATEWAY_URL with settings.SMS_GATEWAY_TOKEN as a
    bearer token; a gateway answer other than 2xx raises, and the task retries."""

    def send(self, phone: str, text: str) -> None:
        request = urllib.request.Request(  # noqa: S310 - the URL is the deployment's own setting
            settings.SMS_GATEWAY_URL,
            data=json.dumps({"phone": phone, "text": text}).encode(),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}",
            },
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            if not 200 <= answer.status < 300:
                raise RuntimeError(f"SMS gateway answered {answer.status}")


def backend() -> Any:
    return import_string(settings.SMS_BACKEND)()
