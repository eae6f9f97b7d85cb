"""The Django admin is in Chinese, the installed packages' pages included (point 23 of issue 8)."""

import contextlib
import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from accounts.models import OrgUnit, User

pytestmark = pytest.mark.django_db

# Technical words that stay as they are in Chinese text too, and Django's HTML entities.
ALLOWED = {
    "JSON", "HTTP", "HTTPS", "Accept", "IP", "GET", "POST", "SHA", "LDAP", "AMQP", "RabbitMQ", "Redis",
    "CELERY", "QUEUES", "TASK", "True", "False", "None", "Asia", "Shanghai", "UTC", "Celery", "cron",
    "crontab", "lsaquo", "rsaquo", "quot", "nbsp", "amp",
    "arg", "argument", "value", "all", "enabled",  # code inside celery-beat's Chinese help texts
}  # fmt: skip


def visible_text(html):
    html = re.sub(r"<script.*?</script>|<style.*?</style>", " ", html, flags=re.S)
    html = re.sub(r'<select name="(?:timezone|regtask)".*?</select>', " ", html, flags=re.S)  # zones, tasks
    html = re.sub(r'<input[^>]*type="hidden"[^>]*>', " ", html)
    html = re.sub(r"<bdi>.*?</bdi>", " ", html, flags=re.S)  # data: the password hash's salt and digest
    labels = " ".join(re.findall(r'(?:title|placeholder|aria-label)="([^"]*)"', html))
    return re.sub(r"<[^>]+>", " ", html) + " " + labels


def english_words(text, data):
    for value in data:
        text = text.replace(value, " ")
    text = re.sub(r"\S*/\S*|\{\w+\}", " ", text)  # example paths and addresses, {placeholders}
    return sorted({w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in ALLOWED})


@pytest.fixture
def records(world):
    now = timezone.now()
    AccessAttempt.objects.create(
        username="clerk_a", ip_address="10.0.0.1", user_agent="Firefox", http_accept="*/*", path_info="/x",
        get_data="", post_data="", failures_since_start=2,
    )  # fmt: skip
    AccessLog.objects.create(
        username="clerk_a", ip_address="10.0.0.1", user_agent="Firefox", attempt_time=now
    )
    AccessFailureLog.objects.create(username="clerk_a", ip_address="10.0.0.1", user_agent="Firefox")
    crontab = CrontabSchedule.objects.create(minute="30", hour="5", timezone="Asia/Shanghai")
    PeriodicTask.objects.create(
        name="每日刷新期限", task="applications.tasks.refresh_deadline_flags", crontab=crontab
    )


def admin_pages():
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        yield reverse("admin:{}_{}_changelist".format(*info))
        yield reverse("admin:{}_{}_add".format(*info))
        obj = model.objects.order_by("pk").first()
        if obj is not None:
            yield reverse("admin:{}_{}_change".format(*info), args=[obj.pk])
            with contextlib.suppress(NoReverseMatch):
                yield reverse("admin:{}_{}_history".format(*info), args=[obj.pk])
        yield reverse("admin:app_list", args=[info[0]])


def test_every_admin_page_is_in_chinese(client, world, records):
    client.force_login(world.users["administrator"])
    User.objects.filter(pk=world.users["administrator"].pk).update(is_staff=True, is_superuser=True)
    data = [*User.objects.values_list("username", flat=True), *OrgUnit.objects.values_list("code", flat=True)]
    data += [*PeriodicTask.objects.values_list("task", flat=True)]  # the seeded schedules' task names
    data += [
        "Firefox",
        "applications.tasks.refresh_deadline_flags",
        "pbkdf2_sha256",
        "md5",
        "&lt;unknown&gt;",
    ]
    found = {}
    for url in dict.fromkeys([reverse("admin:index"), *admin_pages()]):
        response = client.get(url)
        if response.status_code == 403:  # e.g. no "add" for lockout records
            continue
        assert response.status_code == 200, url
        words = english_words(visible_text(response.content.decode()), data)
        if words:
            found[url] = words
    assert found == {}, "\n".join(f"{url}: {words}" for url, words in found.items())


def test_lockout_pages_say_what_they_are_in_chinese(client, world, records):
    client.force_login(world.users["administrator"])
    User.objects.filter(pk=world.users["administrator"].pk).update(is_staff=True, is_superuser=True)
    index = client.get(reverse("admin:index")).content.decode()
    assert "登录锁定" in index
    page = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    for label in ("登录尝试", "尝试时间", "浏览器标识", "IP 地址", "失败次数"):
        assert label in page
    attempt = AccessAttempt.objects.get()
    confirm = client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk]},
    ).content.decode()
    assert "clerk_a 的登录尝试" in confirm
    crontab = client.get(reverse("admin:django_celery_beat_crontabschedule_changelist")).content.decode()
    assert "在 05:30（Asia/Shanghai）" in crontab


def test_the_compiled_catalogue_is_the_po_files():
    from django.conf import settings

    from daye_relief.msgfmt import compile_mo, parse_po

    folder = settings.BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES"
    po = (folder / "django.po").read_text(encoding="utf-8")
    assert (folder / "django.mo").read_bytes() == compile_mo(parse_po(po)), "run `make messages`"
