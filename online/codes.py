"""The online intake's codes and the plain words the family reads (DESIGN §3.12)."""

from __future__ import annotations

from django.db import models

from applications.glossary import Stage
from evidence.codes import DocumentKind


class Status(models.TextChoices):
    """Where an online application is before it becomes a case, and after."""

    SUBMITTED = "submitted", "待受理"
    ACCEPTED = "accepted", "已受理"  # a case was opened from it (or it joined the household's running case)
    SPAM = "spam", "无效申请"  # marked by a clerk; deleted by the daily job after SPAM_KEPT_DAYS


class Asked(models.TextChoices):
    """The categories a family asks about; or it asks the town to judge."""

    TEKUN = "tekun", "特困人员救助供养"
    DIBAO = "dibao", "最低生活保障"
    MARGINAL = "marginal", "低保边缘家庭"
    RIGID_EXPENSE = "rigid_expense", "刚性支出困难家庭"
    MONITORING = "monitoring", "防止返贫监测"
    UNSURE = "unsure", "不清楚，请帮我判断"


# The kinds of document a family may send with its application (the checklist items it can have at home).
PUBLIC_KINDS = (
    DocumentKind.ID_CARD,
    DocumentKind.HUKOU,
    DocumentKind.INCOME_PROOF,
    DocumentKind.ILLNESS_PROOF,
    DocumentKind.DISABILITY_CERT,
    DocumentKind.OTHER,
)
MAX_DOCUMENTS = 20

# At most this many online applications of one ID number may be open at once (DESIGN §3.12).
OPEN_PER_ID = 3
SPAM_KEPT_DAYS = 30

# The query code: 6 characters of an alphabet without look-alikes (0/O, 1/I/L), 31⁶ ≈ 8.9 × 10⁸ codes.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6

# The stage in the family's words; nothing else of the case is told (DESIGN §3.12).
SUBMITTED_WORDS = "已提交、待受理"
STAGE_WORDS = {
    Stage.SUBMITTED: SUBMITTED_WORDS,
    Stage.ACCEPTED: "已受理",
    Stage.INVESTIGATING: "调查中",
    Stage.PUBLICIZING: "公示中",
    Stage.DELIBERATING: "研判中",
    Stage.APPROVED: "已批准",
    Stage.FILED: "已批准",
    Stage.REJECTED: "未予批准",
    Stage.WITHDRAWN: "已撤回",
}
# The stage code the API answers for each: a filed case is an approved one for the family.
PUBLIC_STAGE = {Stage.FILED: Stage.APPROVED}
