"""Adding and withdrawing documents (DESIGN §3.11). The one writer of Document."""

from __future__ import annotations

from typing import IO

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.access import has_role, scope_of
from accounts.glossary import Role
from accounts.models import User
from applications.glossary import OPEN_STAGES
from applications.models import Application
from daye_relief.errors import ErrorCode, Forbidden, InvalidInput
from households.models import Household, Member
from monitoring.models import Visit
from publicity.glossary import NoticeStatus
from publicity.models import Notice
from publicity.selectors import live_items

from .access import DECIDED_STAGES, allowed_kinds, may_upload_for, may_upload_for_village
from .codes import KIND_MATERIAL, OTHER_MATERIALS, PLACE_KINDS, DocumentKind
from .files import CheckedFile, FileRefused, check_file, thumbnail
from .models import Document

NOTE_LIMIT = 300


@transaction.atomic
def document_upload(
    *,
    household: Household,
    kind: str,
    source: IO[bytes],
    name: str,
    acting_user: User,
    application: Application | None = None,
    member: Member | None = None,
    visit: Visit | None = None,
    note: str = "",
    material: str = "",
) -> Document:
    """Checks the file (type by content, size, re-encoding, unsafe PDFs) and stores it on the household,
    and on the case when one is given. `material` names the checklist item a document of kind `other`
    answers (the other kinds answer their own, codes.KIND_MATERIAL)."""
    if not may_upload_for(acting_user, household):
        raise Forbidden("只有家庭所在镇的工作人员或所在村(居)委会可以上传材料。")
    if kind not in DocumentKind.values:
        raise InvalidInput("请选择材料类别。", code=ErrorCode.KIND_INVALID, field="kind")
    if kind not in allowed_kinds(acting_user):
        raise Forbidden("疾病诊断证明和残疾证只能由镇工作人员上传。")
    if application is not None and application.household_id != household.pk:
        raise InvalidInput("案件不属于这个家庭。", field="application")
    if visit is not None and visit.household_id != household.pk:
        raise InvalidInput("巡访记录不属于这个家庭。", field="visit")
    if member is not None and member.household_id != household.pk:
        raise InvalidInput("所选成员不属于这个家庭。", code=ErrorCode.MEMBER_NOT_IN_HOUSEHOLD, field="member")
    material = _material(kind, material)
    note = _note(note)
    checked = _checked(source, name, kind)
    document = _store(
        checked,
        household=household,
        application=application,
        member=member,
        visit=visit,
        kind=kind,
        material=material,
        name=name,
        note=note,
        acting_user=acting_user,
    )
    checked.content.close()
    _refresh_received(household)
    return document


def _note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_LIMIT:
        raise InvalidInput(f"说明不能超过{NOTE_LIMIT}个字（现有{len(note)}个字）。", field="note")
    return note


def _checked(source: IO[bytes], name: str, kind: str) -> CheckedFile:
    try:
        return check_file(source, keep_place=kind in PLACE_KINDS)
    except FileRefused as refused:  # named, so that one of several files is told apart
        raise FileRefused(f"「{name}」{refused.message}", code=refused.code) from refused


def _store(
    checked: CheckedFile,
    *,
    household: Household,
    application: Application | None,
    member: Member | None,
    visit: Visit | None,
    kind: str,
    material: str,
    name: str,
    note: str,
    acting_user: User,
) -> Document:
    document = Document(
        household=household,
        application=application,
        member=member,
        visit=visit,
        kind=kind,
        material=material,
        original_name=(name or "")[-200:] or f"材料{checked.suffix}",
        content_type=checked.content_type,
        suffix=checked.suffix,
        size=checked.size,
        sha256=checked.sha256,
        note=note,
        taken_at=timezone.make_aware(checked.taken_at) if checked.taken_at else None,
        location=checked.location,
        uploaded_by=acting_user,
    )
    document._history_user = acting_user  # type: ignore[attr-defined]
    checked.content.seek(0)
    document.file.save("upload", File(checked.content), save=False)
    picture = thumbnail(checked)
    if picture is not None:
        document.thumbnail.save("thumb", ContentFile(picture), save=False)
    document.save()
    return document


@transaction.atomic
def notice_photo_upload(
    *, notice: Notice, source: IO[bytes], name: str, acting_user: User, note: str = ""
) -> list[Document]:
    """The photo of a notice on the village board (公示留痕), checked once and kept in the file of every
    case the notice still shows: each case's archive holds its own copy."""
    if not may_upload_for_village(acting_user, notice.village):
        raise Forbidden("只有公示所在村(居)委会或所在镇的工作人员可以上传公示照片。")
    if notice.status == NoticeStatus.DRAFT:
        raise InvalidInput("公示尚未张贴，张贴后再上传公示照片。", field="file")
    items = list(live_items().filter(notice=notice).select_related("application__household"))
    if not items:
        raise InvalidInput("这份公示已没有在公示的案件。", field="file")
    note = _note(note)
    checked = _checked(source, name, DocumentKind.NOTICE_PHOTO)
    stored = [
        _store(
            checked,
            household=item.application.household,
            application=item.application,
            member=None,
            visit=None,
            kind=DocumentKind.NOTICE_PHOTO,
            material="",
            name=name,
            note=note or notice.title,
            acting_user=acting_user,
        )
        for item in items
    ]
    checked.content.close()
    return stored


def _material(kind: str, material: str) -> str:
    if kind in KIND_MATERIAL:
        return KIND_MATERIAL[DocumentKind(kind)]
    if kind != DocumentKind.OTHER:
        return ""
    material = material or "other"
    if material not in dict(OTHER_MATERIALS):
        raise InvalidInput("请选择这份材料对应的清单项。", field="material")
    return material


def _refresh_received(household: Household) -> None:
    """Keeps each open case's received checklist items (Application.materials_received) equal to what its
    live documents, and the household's own, answer: the workflow's preconditions read it."""
    rows = Document.objects.filter(household=household, withdrawn_at=None).exclude(material="")
    by_case: dict[int | None, set[str]] = {}
    for application_id, material in rows.values_list("application_id", "material"):
        by_case.setdefault(application_id, set()).add(material)
    shared = by_case.get(None, set())
    for application in Application.objects.filter(household=household, stage__in=sorted(OPEN_STAGES)):
        received = sorted(shared | by_case.get(application.pk, set()))
        if received != sorted(application.materials_received):
            Application.objects.filter(pk=application.pk).update(materials_received=received)


def may_withdraw(user: User, document: Document) -> bool:
    """The uploader, or the clerk of the household's town; never once its case is decided."""
    if document.is_withdrawn or _case_decided(document):
        return False
    if document.uploaded_by_id == user.pk:
        return True
    town_id = document.household.village.parent_id
    return has_role(user, Role.TOWN_CLERK) and any(
        role == Role.TOWN_CLERK and unit == town_id for role, unit in scope_of(user).assignments
    )


def _case_decided(document: Document) -> bool:
    return document.application is not None and document.application.stage in DECIDED_STAGES


@transaction.atomic
def document_withdraw(*, document: Document, reason: str, acting_user: User) -> Document:
    """撤回: kept and marked, with who and why, and listed in the history."""
    locked = (
        Document.objects.select_for_update(of=("self",))
        .select_related("application", "household__village")
        .get(pk=document.pk)
    )
    if _case_decided(locked):
        raise InvalidInput("案件已作出决定，材料不能再撤回。", code=ErrorCode.DOCUMENT_LOCKED)
    if locked.is_withdrawn:
        raise InvalidInput("这份材料已经撤回。", code=ErrorCode.DOCUMENT_LOCKED)
    if not may_withdraw(acting_user, locked):
        raise Forbidden("只有上传人或家庭所在镇的社会事务办可以撤回材料。")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("请写明撤回的理由。", field="reason")
    if len(reason) > NOTE_LIMIT:
        raise InvalidInput(f"理由不能超过{NOTE_LIMIT}个字（现有{len(reason)}个字）。", field="reason")
    locked.withdrawn_at, locked.withdrawn_by, locked.withdrawal_reason = timezone.now(), acting_user, reason
    locked._history_user = acting_user  # type: ignore[attr-defined]
    locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    _refresh_received(locked.household)
    return locked
