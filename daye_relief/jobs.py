"""The states of a file built in the background for the one who asked for it (a large export, a case's
archive): one list, so that every job page reads alike."""

from django.db import models


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "已完成"
    FAILED = "failed", "生成失败"
