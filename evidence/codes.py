"""The kinds of document and who may see them (DESIGN §3.11)."""

from django.db import models

from accounts.access import CITY_READ_ROLES, TOWN_READ_ROLES


class DocumentKind(models.TextChoices):
    ID_CARD = "id_card", "身份证"
    HUKOU = "hukou", "户口簿"
    INCOME_PROOF = "income_proof", "收入证明"
    ILLNESS_PROOF = "illness_proof", "疾病诊断证明"
    DISABILITY_CERT = "disability_cert", "残疾证"
    COMMITMENT_SIGNED = "commitment_signed", "签字的书面承诺"
    INVESTIGATION_RECORD_SIGNED = "investigation_record_signed", "签字的入户调查记录"
    INQUIRY_LETTER = "inquiry_letter", "信函索证函件"
    INQUIRY_REPLY = "inquiry_reply", "信函索证回复"
    NOTICE_PHOTO = "notice_photo", "公示张贴照片"
    REVIEW_RECORD_SIGNED = "review_record_signed", "签字的集体研判记录"
    VISIT_PHOTO = "visit_photo", "走访照片"
    OTHER = "other", "其他材料"


# Health documents: for town staff and the two bureaus only, never for village staff or departments.
HEALTH_KINDS = frozenset({DocumentKind.ILLNESS_PROOF, DocumentKind.DISABILITY_CERT})
HEALTH_READ_ROLES = TOWN_READ_ROLES | CITY_READ_ROLES
# Photos whose time and place are the evidence: their location data is kept (and shown).
PLACE_KINDS = frozenset({DocumentKind.VISIT_PHOTO, DocumentKind.NOTICE_PHOTO})

MAX_BYTES = 20 * 1024 * 1024
# What a file may be, by its content: the stored content type and the name's suffix.
ACCEPTED = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/heic": ".jpg",  # converted to JPEG
    "image/heif": ".jpg",
}
