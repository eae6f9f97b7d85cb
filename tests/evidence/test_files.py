"""The file checks of DESIGN §3.11: type by content, size, re-encoding, location data, unsafe PDFs."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from evidence.files import FileRefused, check_file

from . import files


@pytest.mark.parametrize("upload", [files.script_as_jpg, files.zip_as_jpg])
def test_a_jpg_that_is_no_image_is_refused(upload) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(FileRefused, match="文件类型不符") as refused:
        check_file(upload(), keep_place=False)
    assert refused.value.code == "bad_file_type"
    assert refused.value.field == "file"


def test_a_pdf_with_javascript_or_an_attachment_is_refused() -> None:
    for upload in (files.pdf(javascript=True), files.pdf(attachment=True)):
        with pytest.raises(FileRefused, match="含有脚本、自动操作或附件") as refused:
            check_file(upload, keep_place=False)
        assert refused.value.code == "unsafe_pdf"
    checked = check_file(files.pdf(), keep_place=False)
    assert (checked.content_type, checked.suffix) == ("application/pdf", ".pdf")


def test_a_file_over_20_mb_is_refused_before_it_is_read() -> None:
    big = SimpleUploadedFile(
        "scan.pdf", b"%PDF-1.7\n" + b"0" * (20 * 1024 * 1024), content_type="application/pdf"
    )
    with pytest.raises(FileRefused, match=r"文件过大：20\.0 MB，每个文件不能超过 20 MB") as refused:
        check_file(big, keep_place=False)
    assert refused.value.code == "file_too_large"


def _exif(checked) -> Image.Exif:  # type: ignore[no-untyped-def]
    with Image.open(io.BytesIO(checked.content.read())) as image:
        return image.getexif()


def test_an_id_card_photo_loses_its_location_and_a_visit_photo_keeps_it() -> None:
    plain = check_file(files.jpeg(gps=True), keep_place=False)
    assert plain.location == ""
    assert not _exif(plain).get_ifd(0x8825)
    kept = check_file(files.jpeg(gps=True), keep_place=True)
    assert kept.location == "30.110000,114.980000"
    assert _exif(kept).get_ifd(0x8825)[2] == (30.0, 6.0, 36.0)
    assert str(kept.taken_at) == "2026-11-20 09:30:00"


def test_anything_after_the_image_data_is_dropped() -> None:
    upload = files.jpeg()
    tampered = SimpleUploadedFile(
        "p.jpg", upload.read() + b"<script>alert(1)</script>", content_type="image/jpeg"
    )
    checked = check_file(tampered, keep_place=False)
    assert b"<script>" not in checked.content.read()


def test_a_heic_photo_becomes_a_jpeg_and_a_png_stays_a_png() -> None:
    converted = check_file(files.heic(), keep_place=False)
    assert (converted.content_type, converted.suffix) == ("image/jpeg", ".jpg")
    assert converted.content.read(3) == b"\xff\xd8\xff"
    assert check_file(files.png(), keep_place=False).content_type == "image/png"


def test_the_digest_is_of_the_stored_bytes() -> None:
    checked = check_file(files.pdf(), keep_place=False)
    assert hashlib.sha256(checked.content.read()).hexdigest() == checked.sha256
    assert checked.size > 0
