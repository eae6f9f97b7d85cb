from django.db import models


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", "待张贴"
    POSTED = "posted", "公示中"
    CLOSED = "closed", "已结束"


class ItemOutcome(models.TextChoices):
    PENDING = "pending", "公示中"
    NO_OBJECTION = "no_objection", "无异议"
    OBJECTED = "objected", "有异议，重新调查"


class ObjectionChannel(models.TextChoices):
    IN_PERSON = "in_person", "当面反映"
    PHONE = "phone", "电话"
    LETTER = "letter", "信件"
    ONLINE = "online", "网上"
