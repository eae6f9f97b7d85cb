"""The kinds of document and who may see them (DESIGN §3.11)."""

from django.db import models

from accounts.access import CITY_READ_ROLES, TOWN_READ_ROLES
from applications.glossary import MATERIAL_LABELS


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


# The checklist item (applications.glossary.MATERIALS) a document of each kind answers; a document of
# kind `other` names the item it answers among OTHER_MATERIALS (the signed application form, the property
# statement, the authorization, a school certificate, anything else); the other kinds answer none.
KIND_MATERIAL = {
    DocumentKind.ID_CARD: "id_cards",
    DocumentKind.HUKOU: "hukou_book",
    DocumentKind.INCOME_PROOF: "income_proof",
    DocumentKind.ILLNESS_PROOF: "medical_records",
    DocumentKind.DISABILITY_CERT: "disability_certificate",
    DocumentKind.COMMITMENT_SIGNED: "commitment_letter",
}
OTHER_MATERIALS = tuple(
    (code, MATERIAL_LABELS[code])
    for code in ("application_form", "property_statement", "authorization", "student_certificate", "other")
)

# The kinds the case page offers at each stage, the stage's own first (DESIGN §3.11): the family's
# materials until the decision, then what each step leaves behind. The household page offers them all.
_FAMILY = (
    DocumentKind.ID_CARD,
    DocumentKind.HUKOU,
    DocumentKind.INCOME_PROOF,
    DocumentKind.ILLNESS_PROOF,
    DocumentKind.DISABILITY_CERT,
    DocumentKind.COMMITMENT_SIGNED,
)
_INVESTIGATION = (
    DocumentKind.INVESTIGATION_RECORD_SIGNED,
    DocumentKind.INQUIRY_LETTER,
    DocumentKind.INQUIRY_REPLY,
    DocumentKind.VISIT_PHOTO,
)
STAGE_KINDS: dict[str, tuple[str, ...]] = {
    "submitted": (DocumentKind.COMMITMENT_SIGNED, *_FAMILY[:-1]),
    "accepted": (DocumentKind.COMMITMENT_SIGNED, *_FAMILY[:-1], *_INVESTIGATION),
    "investigating": (*_INVESTIGATION, *_FAMILY),
    "publicizing": (DocumentKind.NOTICE_PHOTO, DocumentKind.INQUIRY_REPLY, *_FAMILY),
    "deliberating": (DocumentKind.REVIEW_RECORD_SIGNED, DocumentKind.NOTICE_PHOTO, *_FAMILY),
    "approved": (DocumentKind.REVIEW_RECORD_SIGNED,),
    "rejected": (DocumentKind.REVIEW_RECORD_SIGNED,),
    "filed": (DocumentKind.REVIEW_RECORD_SIGNED,),
    "withdrawn": (),
}

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
