"""One active session per user (DESIGN §3.13): a new sign-in ends the user's other session, and the browser
of the ended one is told why on its next visit."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.http import HttpRequest

from .models import EndedSession, User, UserSession

ELSEWHERE = "signed_in_elsewhere"


def session_begun(*, user: User, request: HttpRequest) -> None:
    """Called at sign-in: the user's previous session, if another, is deleted and remembered as ended."""
    key = request.session.session_key
    if not key:
        request.session.save()
        key = request.session.session_key
    previous = UserSession.objects.filter(user=user).values_list("session_key", flat=True).first()
    if previous and previous != key:
        import_module(settings.SESSION_ENGINE).SessionStore().delete(previous)
        EndedSession.objects.update_or_create(session_key=previous, defaults={"reason": ELSEWHERE})
    UserSession.objects.update_or_create(user=user, defaults={"session_key": key})


def told_ended(request: HttpRequest) -> bool:
    """Whether this browser's session was ended by a sign-in elsewhere (answered once: the record goes)."""
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    return bool(key) and EndedSession.objects.filter(session_key=key, reason=ELSEWHERE).delete()[0] > 0
