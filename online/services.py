"""The online intake's one writer (DESIGN §3.12): a family's application taken in (from the public page or
an external channel), its query code, a clerk's acceptance into the ordinary intake, spam, and the short
messages to the family."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import IO, Any

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.access import scope_of
from accounts.glossary import OrgKind, Role
from accounts.models import OrgUnit, User
from applications import services as case_services
from applications.glossary import OPEN_STAGES, Channel, Proxy, Trigger
from applications.models import Application
from applications.selectors import household_open_case
from daye_relief.errors import Forbidden, InvalidInput
from evidence.files import CheckedFile, FileRefused, check_file, thumbnail
from evidence.services import document_upload
from households.models import Household
from households.services.households import household_create, member_create

from .codes import (
    MAX_DOCUMENTS,
    OPEN_PER_ID,
    PUBLIC_KINDS,
    Status,
)
from .messages import tell
from .models import ExternalChannel, OnlineApplication, OnlineDocument
from .querycode import query_code
from .retention import remove_files

CODE_SALT = "online.query-code"


# Taking an application in -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    kind: str
    name: str
    source: IO[bytes]


@dataclass(frozen=True)
class Submission:
    """What a family sent, already through the self-check's forms (cleaned data: dates, decimals)."""

    village: OrgUnit
    phone: str
    situation: str
    asked: Sequence[str]
    commitment_name: str
    members: Sequence[dict[str, Any]]  # the applicant first
    household_facts: dict[str, Any]
    hint: dict[str, Any] | None
    uploads: Sequence[Upload] = field(default_factory=tuple)


def _plain(value: Any) -> Any:
    """Cleaned form data as JSON: dates as ISO strings, amounts as strings (never floats)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


def open_count(id_number: str) -> int:
    """The online applications of this applicant ID still running: waiting, or accepted into an open case."""
    waiting = OnlineApplication.objects.filter(id_number=id_number, status=Status.SUBMITTED).count()
    running = OnlineApplication.objects.filter(
        id_number=id_number, status=Status.ACCEPTED, application__stage__in=sorted(OPEN_STAGES)
    ).count()
    return waiting + running


def _next_number(town: OrgUnit, today: date) -> str:
    """W + the town's 3-digit code + yymmdd + a sequence of the town's day; the caller holds the town row."""
    prefix = f"W{town.code[-3:]}{today:%y%m%d}"
    last = (
        OnlineApplication.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return f"{prefix}{int(last[len(prefix) :]) + 1 if last else 1:03d}"


def _check_uploads(
    uploads: Sequence[Upload],
) -> tuple[list[tuple[Upload, CheckedFile]], dict[str, list[str]]]:
    checked: list[tuple[Upload, CheckedFile]] = []
    errors: dict[str, list[str]] = {}
    if len(uploads) > MAX_DOCUMENTS:
        errors["documents"] = [f"一次最多上传{MAX_DOCUMENTS}个文件（现有{len(uploads)}个）。"]
        return checked, errors
    for index, upload in enumerate(uploads):
        if upload.kind not in PUBLIC_KINDS:
            errors[f"documents[{index}].kind"] = ["请选择材料类别。"]
            continue
        try:
            checked.append((upload, check_file(upload.source, keep_place=False)))
        except FileRefused as refused:
            errors[f"documents[{index}]"] = [f"「{upload.name}」{refused.message}"]
    return checked, errors


def _submission_errors(submission: Submission) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if submission.village.kind != OrgKind.VILLAGE or submission.village.parent is None:
        errors["village"] = ["请选择户籍所在的村(居)。"]
    applicant = submission.members[0] if submission.members else None
    if applicant is None or applicant.get("relation") != "applicant":
        errors["members"] = ["第1位家庭成员须是申请人本人。"]
        return errors
    if submission.commitment_name != applicant["name"]:
        errors["commitment_name"] = [f"签名须与申请人姓名（{applicant['name']}）一致。"]
    if open_count(applicant["id_number"]) >= OPEN_PER_ID:
        errors["members[0].id_number"] = [
            f"该身份证号码已有{OPEN_PER_ID}件线上申请正在办理，请等待办理结果，或联系镇社会事务办。"
        ]
    return errors


@transaction.atomic
def online_application_submit(
    *,
    submission: Submission,
    channel: ExternalChannel | None = None,
    idempotency_key: str = "",
    request_digest: str = "",
) -> tuple[OnlineApplication, str]:
    """Takes a family's application into its town's inbox, with its documents, and gives its query code
    (shown once). Nothing of a stored household changes. Refuses (InvalidInput, every error by field and
    nothing stored) a commitment signed with another name, a fourth open application of one ID, a file
    that is not a PDF or a photo."""
    errors = _submission_errors(submission)
    checked, file_errors = _check_uploads(submission.uploads)
    errors.update(file_errors)
    if errors:
        for _, file in checked:
            file.content.close()
        raise InvalidInput(errors=errors)
    village = submission.village
    town = village.parent
    assert town is not None
    OrgUnit.objects.select_for_update().filter(pk=town.pk).first()
    applicant = submission.members[0]
    online = OnlineApplication(
        number=_next_number(town, timezone.localdate()),
        code_nonce=secrets.token_hex(16),
        channel=channel,
        idempotency_key=idempotency_key,
        request_digest=request_digest,
        village=village,
        town=town,
        applicant_name=applicant["name"],
        id_number=applicant["id_number"],
        phone=submission.phone,
        members=[{k: _plain(v) for k, v in member.items()} for member in submission.members],
        household_facts={k: _plain(v) for k, v in submission.household_facts.items() if k != "as_of"},
        situation=submission.situation.strip(),
        asked=list(submission.asked),
        commitment_name=submission.commitment_name,
        hint=submission.hint,
    )
    online._history_user = None  # type: ignore[attr-defined]  # the family (or its channel), no staff user
    online.save()
    for upload, file in checked:
        _store(online, upload, file)
    return online, query_code(online)


@transaction.atomic
def online_document_add(*, online: OnlineApplication, upload: Upload) -> int:
    """One more document of an application still waiting in the inbox (an external channel sends them one
    by one); the number of its documents after it."""
    online = OnlineApplication.objects.select_for_update().get(pk=online.pk)
    if online.status != Status.SUBMITTED:
        raise InvalidInput("这件申请已经处理，不能再补充材料；请联系镇社会事务办。", field="file")
    count = online.documents.count()
    if count >= MAX_DOCUMENTS:
        raise InvalidInput(f"每件申请最多{MAX_DOCUMENTS}个文件。", field="file")
    if upload.kind not in PUBLIC_KINDS:
        raise InvalidInput("请选择材料类别。", field="kind")
    try:
        checked = check_file(upload.source, keep_place=False)
    except FileRefused as refused:  # its code (bad_file_type, file_too_large, unsafe_pdf) kept
        raise FileRefused(f"「{upload.name}」{refused.message}", code=refused.code) from refused
    _store(online, upload, checked)
    return count + 1


def _store(online: OnlineApplication, upload: Upload, file: CheckedFile) -> None:
    document = OnlineDocument(
        online_application=online,
        kind=upload.kind,
        original_name=(upload.name or "")[-200:] or f"材料{file.suffix}",
        content_type=file.content_type,
        suffix=file.suffix,
        size=file.size,
        sha256=file.sha256,
    )
    file.content.seek(0)
    document.file.save("upload", File(file.content), save=False)
    picture = thumbnail(file)
    if picture is not None:
        document.thumbnail.save("thumb", ContentFile(picture), save=False)
    document.save()
    file.content.close()


def replayed(*, channel: ExternalChannel, idempotency_key: str) -> OnlineApplication | None:
    """The application an earlier request of this channel with the same Idempotency-Key created."""
    return OnlineApplication.objects.filter(channel=channel, idempotency_key=idempotency_key).first()


# The clerk's side ----------------------------------------------------------------------------------


def may_handle(user: User | Any, online: OnlineApplication) -> bool:
    """The town's clerks (镇社会事务办) handle the online applications of their town."""
    return Role.TOWN_CLERK in scope_of(user).roles and online.town_id in scope_of(user).write_towns


def _lock(online: OnlineApplication, acting_user: User) -> OnlineApplication:
    if not may_handle(acting_user, online):
        raise Forbidden("只有申请所在镇的社会事务办可以处理线上申请。")
    locked = OnlineApplication.objects.select_for_update().get(pk=online.pk)
    if locked.status != Status.SUBMITTED:
        raise InvalidInput(f"这份线上申请已{locked.get_status_display()}，不能再处理。")
    return locked


def _attach(online: OnlineApplication, application: Application, acting_user: User) -> None:
    """The online application becomes the case's: its documents are stored on the case (checked again by
    the evidence writer), its own files removed, and the family told it is accepted."""
    for item in online.documents.all():
        with item.file.open("rb") as source:
            document_upload(
                household=application.household,
                application=application,
                kind=item.kind,
                source=source,
                name=item.original_name,
                acting_user=acting_user,
                material="other" if item.kind == "other" else "",
                note="线上申请提交",
            )
    remove_files(online)
    online.status = Status.ACCEPTED
    online.application = application
    online.handled_at = timezone.now()
    online.handled_by = acting_user
    online._history_user = acting_user  # type: ignore[attr-defined]
    online.save(update_fields=["status", "application", "handled_at", "handled_by"])
    tell(online, "accepted")


@transaction.atomic
def online_accept_as_new(
    *,
    online: OnlineApplication,
    household_data: dict[str, Any],
    members_data: Sequence[dict[str, Any]],
    intake_data: dict[str, Any],
    acting_user: User,
) -> Application:
    """受理 of a family not yet registered: the household and members as the clerk confirmed them, then the
    ordinary intake at the window (channel online)."""
    online = _lock(online, acting_user)
    household = household_create(**household_data)
    created = [
        member_create(household=household, data=data, acting_user=acting_user) for data in members_data
    ]
    applicant = next((member for member in created if member.relation == "applicant"), None)
    if applicant is None:
        raise InvalidInput("请确定申请人：其中一位成员的“与申请人关系”选“申请人”。", field="members")
    return _accept_into(online, household, {**intake_data, "applicant": applicant}, acting_user)


@transaction.atomic
def online_accept_into(
    *, online: OnlineApplication, household: Household, intake_data: dict[str, Any], acting_user: User
) -> Application:
    """受理 into a stored household the clerk chose (the typed data changed nothing of it)."""
    online = _lock(online, acting_user)
    return _accept_into(online, household, intake_data, acting_user)


def _accept_into(
    online: OnlineApplication, household: Household, intake_data: dict[str, Any], acting_user: User
) -> Application:
    if household.village.parent_id != online.town_id:
        raise InvalidInput("只能受理本镇的家庭。", field="household")
    fields = {"proxy": Proxy.NONE, "proxy_reason": "", **intake_data, "channel": Channel.ONLINE}
    intake = case_services.Intake(household=household, **fields)
    application = case_services.application_accept(intake=intake, acting_user=acting_user)
    _attach(online, application, acting_user)
    return application


@transaction.atomic
def online_adjustment_open(
    *, online: OnlineApplication, household: Household, note: str, opened_on: date, acting_user: User
) -> Application:
    """An enrolled household's request, taken as a request for a dynamic adjustment (DESIGN §3.7)."""
    online = _lock(online, acting_user)
    if household.village.parent_id != online.town_id:
        raise InvalidInput("只能为本镇的家庭立案。", field="household")
    application = case_services.adjustment_open(
        household=household,
        trigger=Trigger.REQUEST,
        note=note,
        opened_on=opened_on,
        acting_user=acting_user,
        source=f"online:{online.number}",
    )
    _attach(online, application, acting_user)
    return application


@transaction.atomic
def online_join_case(*, online: OnlineApplication, household: Household, acting_user: User) -> Application:
    """The household already has a case running: the request and its documents join that case."""
    online = _lock(online, acting_user)
    running = household_open_case(household)
    if running is None or household.village.parent_id != online.town_id:
        raise InvalidInput("该家庭没有正在办理的案件。", field="household")
    _attach(online, running, acting_user)
    return running


@transaction.atomic
def online_mark_spam(*, online: OnlineApplication, acting_user: User) -> OnlineApplication:
    """无效申请: out of the inbox; kept SPAM_KEPT_DAYS days, then deleted by the daily job."""
    online = _lock(online, acting_user)
    online.status = Status.SPAM
    online.handled_at = timezone.now()
    online.handled_by = acting_user
    online._history_user = acting_user  # type: ignore[attr-defined]
    online.save(update_fields=["status", "handled_at", "handled_by"])
    return online
