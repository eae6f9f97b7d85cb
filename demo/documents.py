"""Plausible documents for the demo's cases (DESIGN §3.11): drawn here, no real person's paper. Each is an
image of a page with its title and a few lines, stored through the one writer of documents, so that the
checklist, the thumbnails and the archive can be seen in `make run`."""

from __future__ import annotations

import io
from datetime import datetime
from functools import cache
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from applications.models import Application
from daye_relief.print_font import SOURCE, SOURCE_INDEX, font_path
from evidence.services import document_upload
from households.models import Member

DEMO = "（演示材料）"
PAPER = (248, 246, 240)
INK = (40, 40, 48)
# 大冶市城区的大致位置: the demo's visit and notice photos keep a place, as a phone's would.
PLACE = ((30.0, 5.0, 42.0), (114.0, 58.0, 12.0))


@cache
def _font(size: int) -> Any:
    for path, index in ((font_path(), 0), (SOURCE, SOURCE_INDEX)):
        if path.is_file():
            return ImageFont.truetype(str(path), size=size, index=index)
    return ImageFont.load_default(size=size)


def _page(title: str, lines: list[str], *, size: tuple[int, int] = (620, 877)) -> Image.Image:
    image = Image.new("RGB", size, PAPER)
    draw = ImageDraw.Draw(image)
    draw.text((size[0] // 2, 60), title, font=_font(30), fill=INK, anchor="mm")
    y = 130
    for line in lines:
        draw.text((50, y), line, font=_font(18), fill=INK)
        y += 34
    draw.rectangle((20, 20, size[0] - 20, size[1] - 20), outline=INK, width=2)
    return image


def _pdf(title: str, lines: list[str]) -> SimpleUploadedFile:
    out = io.BytesIO()
    _page(title, lines).save(out, format="PDF", resolution=72)
    return SimpleUploadedFile(f"{title}.pdf", out.getvalue(), content_type="application/pdf")


def _jpeg(
    title: str, lines: list[str], *, taken: datetime | None = None, size: tuple[int, int] = (640, 400)
) -> SimpleUploadedFile:
    exif = Image.Exif()
    if taken is not None:
        exif[0x0132] = taken.strftime("%Y:%m:%d %H:%M:%S")
        exif[0x8825] = {1: "N", 2: PLACE[0], 3: "E", 4: PLACE[1]}
    out = io.BytesIO()
    _page(title, lines, size=size).save(out, format="JPEG", quality=80, exif=exif.tobytes())
    return SimpleUploadedFile(f"{title}.jpg", out.getvalue(), content_type="image/jpeg")


def demo_photo(title: str, lines: list[str]) -> SimpleUploadedFile:
    """A phone photo of a paper (no place kept): what a family sends with an online application."""
    return _jpeg(title, [*lines, DEMO])


def _masked(id_number: str) -> str:
    return f"{id_number[:6]}********{id_number[-4:]}"


def _store(application: Application, kind: str, upload: SimpleUploadedFile, user: Any, **extra: Any) -> None:
    document_upload(
        household=application.household,
        application=application,
        kind=kind,
        source=upload,
        name=upload.name or "",
        acting_user=user,
        **extra,
    )


def intake_documents(application: Application, clerk: Any) -> None:
    """What the family brings to the window: the application form, the 户口簿, the applicant's ID card and
    the signed commitment."""
    applicant: Member = application.applicant
    family = [f"{m.get_relation_display()}：{m.name}" for m in application.household.members.all()]
    _store(
        application,
        "other",
        _pdf("救助帮扶申请书", [f"申请人：{applicant.name}", f"申请事由：{application.situation}", DEMO]),
        clerk,
        material="application_form",
    )
    _store(application, "hukou", _pdf("居民户口簿", [*family, DEMO]), clerk)
    _store(
        application,
        "id_card",
        _jpeg("居民身份证", [f"姓名 {applicant.name}", f"公民身份号码 {_masked(applicant.id_number)}", DEMO]),
        clerk,
        member=applicant,
    )
    _store(
        application,
        "commitment_signed",
        _pdf(
            "真实性书面承诺书",
            [
                "本人承诺所提供的家庭人口、收入、财产等情况真实完整，",
                "如有虚假，愿承担相应责任。",
                f"承诺人：{applicant.name}（签字）",
            ],
        ),
        clerk,
    )


def investigation_documents(application: Application, clerk: Any, *, visited: datetime) -> None:
    """What the investigation leaves: the signed home-visit record and a photo of the visit."""
    _store(
        application,
        "investigation_record_signed",
        _pdf(
            "入户调查记录",
            [f"被调查人：{application.applicant.name}", "方式：入户调查、邻里走访", "调查人员签字（演示）"],
        ),
        clerk,
    )
    _store(
        application,
        "visit_photo",
        _jpeg("入户走访", ["调查人员与申请人交谈", "（演示照片）"], taken=visited),
        clerk,
        note="入户调查时拍摄",
    )


def notice_photo(application: Application, village_staff: Any, *, taken: datetime) -> None:
    """The village's photo of the notice on its board (公示留痕)."""
    _store(
        application,
        "notice_photo",
        _jpeg("公示", ["救助帮扶对象公示", "（演示照片：村务公开栏）"], taken=taken),
        village_staff,
        note="村务公开栏张贴",
    )


def death_certificate(application: Application, member: Member, clerk: Any) -> None:
    """The proof of an adjustment's member change: a death certificate (a document of kind `other`)."""
    _store(
        application,
        "other",
        _pdf("居民死亡医学证明（推断）书", [f"死者姓名：{member.name}", "编号：HB2026-0451", DEMO]),
        clerk,
        member=member,
        material="other",
        note="成员死亡证明",
    )


def review_record(application: Application, task_force: Any) -> None:
    """The task force's signed record of the collective review."""
    _store(
        application,
        "review_record_signed",
        _pdf("集体研判记录（签字）", ["镇工作专班集体研判", "参会人员签字：（演示）", DEMO]),
        task_force,
    )
