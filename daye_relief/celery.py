"""The Celery app. Tasks are discovered in each app's tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "daye_relief.settings.dev")

app = Celery("daye_relief")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
