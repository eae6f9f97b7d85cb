from django.db import models

# What kind of notice this is, in its composed title (Notice.title).
NOTICE_KIND = "困难群众救助帮扶对象公示"
# The longest objection or answer a person may type (issue 8, point 15); names are 50 as in households.
TEXT_MAX = 500
OBJECTOR_MAX = 50


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", "待张贴"
    POSTED = "posted", "公示中"
    CLOSED = "closed", "已结束"


class ItemOutcome(models.TextChoices):
    PENDING = "pending", "公示中"
    NO_OBJECTION = "no_objection", "无异议"
    OBJECTED = "objected", "有异议，重新调查"
    LEFT = "left", "已退回调查，退出本次公示"


class ObjectionChannel(models.TextChoices):
    IN_PERSON = "in_person", "当面反映"
    PHONE = "phone", "电话"
    LETTER = "letter", "信件"
    ONLINE = "online", "网上"
